// A status or error line that follows the UI's language. Kept as the string id
// and its arguments, and formatted again when it is read after the language
// changed: a teacher who switches to Chinese sees the status bar in Chinese at
// once, not at the next action. A text with no id (a parser's message, which
// is English only) is kept as it is.
#pragma once
#include <fmt/format.h>

#include <functional>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>

#include "ui/strings.hpp"

namespace gomap::ui {

class Said {
  // How an argument is kept: text by value (a string_view or char* may point
  // into something gone by the time the line is formatted again).
  template <class A>
  using Kept = std::conditional_t<std::is_convertible_v<A, std::string_view> && !std::is_arithmetic_v<A>, std::string,
                                  std::decay_t<A>>;

public:
  Said() = default;
  Said(std::string fixed) : cache_(std::move(fixed)) {}
  Said(const char* fixed) : cache_(fixed) {}
  template <class... A> static Said of(S id, A&&... args) {
    Said s;
    s.render_ = [id, kept = std::tuple<Kept<A>...>(std::forward<A>(args)...)] {
      return std::apply([id](const auto&... a) { return fmt::format(fmt::runtime(tr(id)), a...); }, kept);
    };
    s.refresh();
    return s;
  }
  const std::string& text() const {
    if (render_ && lang_ != language()) refresh();
    return cache_;
  }
  bool empty() const { return cache_.empty(); }
  void clear() {
    cache_.clear();
    tail_.clear();
    render_ = nullptr;
  }
  // Text that follows the translated part, in every language (a caret line).
  Said& operator+=(const std::string& tail) {
    tail_ += tail;
    cache_ += tail;
    return *this;
  }

private:
  void refresh() const {
    cache_ = render_() + tail_;
    lang_ = language();
  }
  std::function<std::string()> render_;
  std::string tail_;
  mutable std::string cache_;
  mutable Lang lang_ = Lang::En;
};

} // namespace gomap::ui
