// An asynchronous HTTP/1.1 server on Boost.Beast: keep-alive, a limit on
// header and body size, and a time limit on every read and write. It knows
// nothing of aidtrail; each request goes to one Handler, which answers
// through a Reply that may be called later from any thread (commands are
// acknowledged when the log has made them durable).
#pragma once

#include <atomic>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "events/core/result.h"

namespace aidtrail::api::http {

namespace beast_http = boost::beast::http;
using Request = beast_http::request<beast_http::string_body>;
using Response = beast_http::response<beast_http::string_body>;
using Reply = std::function<void(Response)>;
using Handler = std::function<void(Request, Reply)>;

struct ServerOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 8080;  // 0: any free port (see Server::port())
  int threads = 2;
  size_t max_body_bytes = 1 << 20;
  std::chrono::milliseconds timeout{30000};
  // Builds the answer to a request refused before it reached the handler
  // (too large, malformed HTTP); the server sets keep-alive and version.
  std::function<Response(beast_http::status, const std::string& why)> refuse;
};

class Server {
 public:
  // Binds and listens; serving starts with Start().
  static Result<std::unique_ptr<Server>> Listen(ServerOptions options, Handler handler);
  ~Server();

  void Start();
  // Stops accepting, lets requests in progress finish (their replies are
  // written) for up to `grace`, then closes every connection.
  void Stop(std::chrono::milliseconds grace = std::chrono::milliseconds(10000));

  [[nodiscard]] uint16_t port() const { return port_; }
  [[nodiscard]] int64_t in_flight() const { return in_flight_.load(); }

  struct Shared;  // state the connections share with the server

 private:
  Server() = default;
  void Accept();

  ServerOptions options_;
  std::shared_ptr<Shared> shared_;
  boost::asio::io_context io_;
  // Keeps the I/O threads running while every connection waits for its
  // handler's reply and no socket operation is pending (in a stop, with the
  // acceptor closed, that is the common case): without it io_context::run
  // returns and the replies posted later are never written.
  std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> work_;
  std::unique_ptr<boost::asio::ip::tcp::acceptor> acceptor_;
  std::vector<std::thread> threads_;
  uint16_t port_ = 0;
  std::atomic<int64_t> in_flight_{0};
  bool stopped_ = false;
};

}  // namespace aidtrail::api::http
