#pragma once

#include <memory>
#include <utility>

namespace vigil::config {

// An optional value kept on the heap: the interface of std::optional and
// value semantics (copies copy the value), in the space of one pointer. For
// large members that are usually absent from objects a configuration has
// by the hundred thousand (a real server's notify scripts).
template <class T> class BoxedOptional
{
public:
	BoxedOptional() = default;
	BoxedOptional(const T &value) : value_(std::make_unique<T>(value)) {}
	BoxedOptional(T &&value) : value_(std::make_unique<T>(std::move(value))) {}
	BoxedOptional(const BoxedOptional &o) : value_(o.value_ ? std::make_unique<T>(*o.value_) : nullptr) {}
	BoxedOptional(BoxedOptional &&) noexcept = default;
	BoxedOptional &operator=(const BoxedOptional &o)
	{
		if (this != &o)
			value_ = o.value_ ? std::make_unique<T>(*o.value_) : nullptr;
		return *this;
	}
	BoxedOptional &operator=(BoxedOptional &&) noexcept = default;
	BoxedOptional &operator=(const T &value) { return *this = BoxedOptional(value); }
	BoxedOptional &operator=(T &&value) { return *this = BoxedOptional(std::move(value)); }

	bool has_value() const { return value_ != nullptr; }
	explicit operator bool() const { return has_value(); }
	T &operator*() { return *value_; }
	const T &operator*() const { return *value_; }
	T *operator->() { return value_.get(); }
	const T *operator->() const { return value_.get(); }
	void reset() { value_.reset(); }

	friend bool operator==(const BoxedOptional &a, const BoxedOptional &b)
	{
		return a.has_value() == b.has_value() && (!a.has_value() || *a == *b);
	}

private:
	std::unique_ptr<T> value_;
};

// A value kept on the heap once it is written, read as a default-constructed
// T until then: for settings that most of a large configuration's objects
// leave alone (a real server's own checker defaults).
template <class T> class LazyBox
{
public:
	LazyBox() = default;
	LazyBox(const LazyBox &o) : value_(o.value_ ? std::make_unique<T>(*o.value_) : nullptr) {}
	LazyBox(LazyBox &&) noexcept = default;
	LazyBox &operator=(const LazyBox &o)
	{
		if (this != &o)
			value_ = o.value_ ? std::make_unique<T>(*o.value_) : nullptr;
		return *this;
	}
	LazyBox &operator=(LazyBox &&) noexcept = default;

	const T &get() const
	{
		static const T empty{};
		return value_ ? *value_ : empty;
	}
	T &edit()
	{
		if (!value_)
			value_ = std::make_unique<T>();
		return *value_;
	}

	friend bool operator==(const LazyBox &a, const LazyBox &b) { return a.get() == b.get(); }

private:
	std::unique_ptr<T> value_;
};

} // namespace vigil::config
