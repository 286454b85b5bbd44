// Resumable runtime operations. Every runtime function that emits events is a
// C++20 coroutine returning Task<T>; a Task awaited by its caller runs inline
// (symmetric transfer) and can suspend at any event. There is one implementation
// of each algorithm: run to completion, nothing ever suspends and an event costs
// a branch; stepped, the innermost coroutine parks itself in the Cursor and the
// driver resumes it at the next step.
#pragma once
#include <coroutine>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <exception>
#include <new>
#include <utility>

namespace gomap {

// Coroutine frames come from per-size free lists so an operation costs no malloc.
namespace frame_pool {
void* allocate(std::size_t n);
void release(void* p, std::size_t n) noexcept;
} // namespace frame_pool

// Where a running operation stands: the innermost suspended coroutine.
struct Cursor {
  std::coroutine_handle<> leaf;
};

template <class T> class Task;

namespace detail {
struct PromiseBase {
  std::coroutine_handle<> continuation;
  std::exception_ptr error;

  static void* operator new(std::size_t n) { return frame_pool::allocate(n); }
  static void operator delete(void* p, std::size_t n) noexcept { frame_pool::release(p, n); }

  std::suspend_always initial_suspend() noexcept { return {}; }
  struct FinalAwaiter {
    bool await_ready() noexcept { return false; }
    template <class P> std::coroutine_handle<> await_suspend(std::coroutine_handle<P> h) noexcept {
      auto c = h.promise().continuation;
      return c ? c : std::noop_coroutine();
    }
    void await_resume() noexcept {}
  };
  FinalAwaiter final_suspend() noexcept { return {}; }
  void unhandled_exception() { error = std::current_exception(); }
};
} // namespace detail

template <class T = void> class [[nodiscard]] Task {
public:
  struct promise_type : detail::PromiseBase {
    T value{};
    Task get_return_object() { return Task{std::coroutine_handle<promise_type>::from_promise(*this)}; }
    void return_value(T v) { value = std::move(v); }
  };

  Task(Task&& o) noexcept : h_(std::exchange(o.h_, {})) {}
  Task& operator=(Task&& o) noexcept {
    if (this != &o) {
      if (h_) h_.destroy();
      h_ = std::exchange(o.h_, {});
    }
    return *this;
  }
  ~Task() {
    if (h_) h_.destroy();
  }

  bool await_ready() const noexcept { return false; }
  std::coroutine_handle<> await_suspend(std::coroutine_handle<> parent) noexcept {
    h_.promise().continuation = parent;
    return h_;
  }
  T await_resume() {
    if (h_.promise().error) std::rethrow_exception(h_.promise().error);
    return std::move(h_.promise().value);
  }

  std::coroutine_handle<promise_type> handle() const { return h_; }
  bool done() const { return h_.done(); }
  T& result() {
    if (h_.promise().error) std::rethrow_exception(h_.promise().error);
    return h_.promise().value;
  }

private:
  explicit Task(std::coroutine_handle<promise_type> h) : h_(h) {}
  std::coroutine_handle<promise_type> h_;
};

template <> class [[nodiscard]] Task<void> {
public:
  struct promise_type : detail::PromiseBase {
    Task get_return_object() { return Task{std::coroutine_handle<promise_type>::from_promise(*this)}; }
    void return_void() {}
  };

  Task(Task&& o) noexcept : h_(std::exchange(o.h_, {})) {}
  Task& operator=(Task&& o) noexcept {
    if (this != &o) {
      if (h_) h_.destroy();
      h_ = std::exchange(o.h_, {});
    }
    return *this;
  }
  ~Task() {
    if (h_) h_.destroy();
  }

  bool await_ready() const noexcept { return false; }
  std::coroutine_handle<> await_suspend(std::coroutine_handle<> parent) noexcept {
    h_.promise().continuation = parent;
    return h_;
  }
  void await_resume() {
    if (h_.promise().error) std::rethrow_exception(h_.promise().error);
  }

  std::coroutine_handle<promise_type> handle() const { return h_; }
  bool done() const { return h_.done(); }
  void result() {
    if (h_.promise().error) std::rethrow_exception(h_.promise().error);
  }

private:
  explicit Task(std::coroutine_handle<promise_type> h) : h_(h) {}
  std::coroutine_handle<promise_type> h_;
};

} // namespace gomap
