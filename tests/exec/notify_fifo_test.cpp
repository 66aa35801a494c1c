#include <climits>
#include <fcntl.h>
#include <fstream>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include "exec/asio_script_runner.h"
#include "exec/notify_fifo.h"
#include "tests/exec/exec_test_util.h"

namespace vigil::exec {
namespace {

using namespace test;

// Everything in the FIFO now, without waiting for more.
std::string drain(int fd)
{
	std::string out;
	char buf[4096];
	for (;;) {
		ssize_t n = ::read(fd, buf, sizeof buf);
		if (n <= 0)
			return out;
		out.append(buf, static_cast<std::size_t>(n));
	}
}

class NotifyFifoTest : public ::testing::Test
{
protected:
	void SetUp() override
	{
		ASSERT_FALSE(dir_.path().empty());
		oldMask_ = ::umask(022);
	}
	void TearDown() override { ::umask(oldMask_); }

	// A reader as the notify_fifo_script would open it (non-blocking here
	// so that the test never waits).
	int openReader() { return ::open(path_.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC); }

	ScratchDir dir_;
	std::string path_ = dir_ / "notify";
	mode_t oldMask_ = 0;
};

TEST_F(NotifyFifoTest, CreatesAMissingFifoPrivate)
{
	auto fifo = NotifyFifo::open(path_);
	ASSERT_TRUE(fifo) << fifo.error().message;
	EXPECT_TRUE(fifo->created());
	EXPECT_EQ(fifo->path(), path_);
	struct stat st {
	};
	ASSERT_EQ(::stat(path_.c_str(), &st), 0);
	EXPECT_TRUE(S_ISFIFO(st.st_mode));
	EXPECT_EQ(st.st_mode & 07777, 0600u);
}

TEST_F(NotifyFifoTest, KeepsAnExistingFifoAsItIs)
{
	ASSERT_EQ(::mkfifo(path_.c_str(), 0644), 0);
	auto fifo = NotifyFifo::open(path_, Credentials{65534, 65534});
	ASSERT_TRUE(fifo) << fifo.error().message;
	EXPECT_FALSE(fifo->created());
	struct stat st {
	};
	ASSERT_EQ(::stat(path_.c_str(), &st), 0);
	EXPECT_EQ(st.st_mode & 07777, 0644u);
	EXPECT_EQ(st.st_uid, ::geteuid());
}

TEST_F(NotifyFifoTest, CreatedFifoBelongsToTheGivenUser)
{
	const Credentials other = otherUser();
	auto fifo = NotifyFifo::open(path_, other);
	if (::geteuid() != 0) {
		// chown to another user needs root.
		ASSERT_FALSE(fifo);
		EXPECT_EQ(fifo.error().code, EPERM);
		return;
	}
	ASSERT_TRUE(fifo) << fifo.error().message;
	struct stat st {
	};
	ASSERT_EQ(::stat(path_.c_str(), &st), 0);
	EXPECT_EQ(st.st_uid, other.uid);
	EXPECT_EQ(st.st_gid, other.gid);
}

TEST_F(NotifyFifoTest, RefusesWhatIsNotAFifo)
{
	std::ofstream(path_) << "x\n";
	auto fifo = NotifyFifo::open(path_);
	ASSERT_FALSE(fifo);
	EXPECT_EQ(fifo.error().message, path_ + " exists and is not a FIFO");

	std::string link = dir_ / "link";
	std::string target = dir_ / "target";
	ASSERT_EQ(::mkfifo(target.c_str(), 0600), 0);
	ASSERT_EQ(::symlink(target.c_str(), link.c_str()), 0);
	auto viaLink = NotifyFifo::open(link);
	ASSERT_FALSE(viaLink);
	EXPECT_EQ(viaLink.error().code, ELOOP);

	auto missingDir = NotifyFifo::open(dir_ / "no/such/dir");
	ASSERT_FALSE(missingDir);
	EXPECT_EQ(missingDir.error().code, ENOENT);
}

TEST_F(NotifyFifoTest, ReaderGetsExactlyTheLines)
{
	auto fifo = NotifyFifo::open(path_);
	ASSERT_TRUE(fifo);
	// Written before any reader: kept for the one that comes.
	ASSERT_TRUE(fifo->write(instanceLine("VI_1", "BACKUP", 100)));
	int reader = openReader();
	ASSERT_GE(reader, 0);
	ASSERT_TRUE(fifo->write(instanceLine("VI_1", "MASTER", 150)));
	ASSERT_TRUE(fifo->write("VS [192.168.201.15]:tcp:80 UP"));
	EXPECT_EQ(drain(reader), "INSTANCE \"VI_1\" BACKUP 100\n"
	                         "INSTANCE \"VI_1\" MASTER 150\n"
	                         "VS [192.168.201.15]:tcp:80 UP\n");
	::close(reader);
	EXPECT_EQ(fifo->dropped(), 0u);
}

TEST_F(NotifyFifoTest, WithoutReaderWritesNeverBlockAndDropWhenFull)
{
	auto fifo = NotifyFifo::open(path_);
	ASSERT_TRUE(fifo);
	const std::string line = instanceLine("VI_1", "MASTER", 150);
	// Bounded: the pipe holds 64 KiB by default (1 MiB at most unless
	// raised), far fewer lines than this.
	std::size_t written = 0;
	std::expected<void, Error> result;
	while (written < 200000 && (result = fifo->write(line)))
		++written;
	ASSERT_FALSE(result) << "a FIFO without reader never filled up";
	EXPECT_EQ(result.error().code, EAGAIN);
	EXPECT_EQ(fifo->dropped(), 1u);
	EXPECT_GE(written * (line.size() + 1), 4096u);

	// A reader takes what was kept, whole lines only, and writing resumes.
	int reader = openReader();
	ASSERT_GE(reader, 0);
	std::string kept = drain(reader);
	EXPECT_EQ(kept.size(), written * (line.size() + 1));
	EXPECT_TRUE(kept.ends_with(line + "\n"));
	EXPECT_TRUE(fifo->write(line));
	EXPECT_EQ(drain(reader), line + "\n");
	::close(reader);
}

TEST_F(NotifyFifoTest, ReaderGoneIsNotAnError)
{
	auto fifo = NotifyFifo::open(path_);
	ASSERT_TRUE(fifo);
	int reader = openReader();
	ASSERT_GE(reader, 0);
	::close(reader);
	// No EPIPE, no SIGPIPE: vigil's own read side keeps the FIFO open.
	EXPECT_TRUE(fifo->write(instanceLine("VI_1", "FAULT", 0)));
}

TEST_F(NotifyFifoTest, LinesOverPipeBufAreRefused)
{
	auto fifo = NotifyFifo::open(path_);
	ASSERT_TRUE(fifo);
	auto r = fifo->write(std::string(PIPE_BUF, 'x'));
	ASSERT_FALSE(r);
	EXPECT_EQ(r.error().code, EMSGSIZE);
	EXPECT_TRUE(fifo->write(std::string(PIPE_BUF - 1, 'x')));
}

TEST_F(NotifyFifoTest, FifoScriptGetsTheFifoNameLast)
{
	auto req = fifoScriptRequest({"/etc/keepalived/fifo.sh", "--flag"}, path_, Credentials{1, 2});
	EXPECT_EQ(req.argv, (std::vector<std::string>{"/etc/keepalived/fifo.sh", "--flag", path_}));
	EXPECT_EQ(req.credentials, (Credentials{1, 2}));
	EXPECT_FALSE(req.timeout);
}

TEST_F(NotifyFifoTest, FifoScriptReadsWhatVigilWrites)
{
	auto fifo = NotifyFifo::open(path_);
	ASSERT_TRUE(fifo);
	boost::asio::io_context io;
	AsioScriptRunner runner(io);
	// The script's blocking open of the FIFO returns at once: vigil holds it.
	RunRequest req = fifoScriptRequest(
	        {
	                "/bin/sh",
	                "-c",
	                "head -n 2 \"$0\"",
	        },
	        path_, std::nullopt);
	// "sh -c SCRIPT NAME": the FIFO's name is $0 here.
	req.captureStdout = 4096;
	req.timeout = kBound;
	std::optional<RunResult> result;
	runner.run(req, [&](const RunResult &r) { result = r; });
	ASSERT_TRUE(fifo->write(instanceLine("VI_1", "BACKUP", 100)));
	ASSERT_TRUE(fifo->write(instanceLine("VI_1", "MASTER", 100)));
	ASSERT_TRUE(runUntil(io, [&] { return result.has_value(); }));
	ASSERT_TRUE(result->succeeded()) << result->str();
	EXPECT_EQ(result->output, "INSTANCE \"VI_1\" BACKUP 100\nINSTANCE \"VI_1\" MASTER 100\n");
}

} // namespace
} // namespace vigil::exec
