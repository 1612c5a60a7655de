// Errors as values. An Error carries a stable machine code, a message in
// English and in Chinese (the one a clerk reads), and the offending field.
// Result<T> holds either a value or an Error; it must be checked.
#pragma once

#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace aidtrail {

// Broad class of failure; the API maps it to an HTTP status.
enum class ErrorKind {
  kInvalidArgument,  // malformed input (400)
  kUnauthenticated,  // no valid credentials (401)
  kForbidden,        // this role may not do this (403)
  kNotFound,         // no such case/lawyer/... (404)
  kConflict,         // stale expected_version, duplicate (409)
  kRuleViolation,    // a legal or business rule forbids it (422)
  kCorruption,       // stored data fails a check (500)
  kUnavailable,      // storage or broker unavailable (503)
};

struct Error {
  ErrorKind kind = ErrorKind::kInvalidArgument;
  std::string code;        // stable, e.g. "case.review.wrong_stage"
  std::string message;     // English
  std::string message_zh;  // Chinese, for clerks and supervisors
  std::string field;       // offending field path, if any

  // "code: message_zh (message)" — for logs and test failures.
  [[nodiscard]] std::string ToString() const {
    std::string s = code + ": " + message_zh + " (" + message + ")";
    if (!field.empty()) s += " [" + field + "]";
    return s;
  }
};

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Error error) : v_(std::move(error)) {}  // NOLINT

  [[nodiscard]] bool ok() const { return std::holds_alternative<T>(v_); }
  explicit operator bool() const { return ok(); }

  // REQUIRES: ok()
  T& value() & { assert(ok()); return std::get<T>(v_); }
  const T& value() const& { assert(ok()); return std::get<T>(v_); }
  T&& value() && { assert(ok()); return std::get<T>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  // REQUIRES: !ok()
  [[nodiscard]] const Error& error() const { assert(!ok()); return std::get<Error>(v_); }

 private:
  std::variant<T, Error> v_;
};

// Result of an operation with no value.
class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(Error error) : error_(std::move(error)), ok_(false) {}  // NOLINT
  static Status Ok() { return {}; }

  [[nodiscard]] bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  // REQUIRES: !ok()
  [[nodiscard]] const Error& error() const { assert(!ok_); return error_; }

 private:
  Error error_;
  bool ok_ = true;
};

inline Error MakeError(ErrorKind kind, std::string code, std::string message,
                       std::string message_zh, std::string field = {}) {
  return Error{kind, std::move(code), std::move(message), std::move(message_zh),
               std::move(field)};
}

}  // namespace aidtrail
