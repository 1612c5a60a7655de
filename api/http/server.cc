#include "api/http/server.h"

#include <boost/asio/ip/address.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <optional>

namespace aidtrail::api::http {

namespace net = boost::asio;
namespace beast = boost::beast;
using tcp = net::ip::tcp;

struct Server::Shared {
  Handler handler;
  ServerOptions options;
  std::atomic<int64_t>* in_flight = nullptr;
  std::atomic<bool> stopping{false};
  std::mutex mu;
  std::condition_variable idle;

  void Begin() { in_flight->fetch_add(1); }
  void End() {
    if (in_flight->fetch_sub(1) == 1) {
      std::lock_guard lock(mu);
      idle.notify_all();
    }
  }
};

namespace {

// One connection. Requests on it are answered in order: the next is read
// only once the previous answer is written.
class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, std::shared_ptr<Server::Shared> shared)
      : stream_(std::move(socket)), shared_(std::move(shared)) {}

  void Run() {
    net::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->ReadHeader(); });
  }

 private:
  void ReadHeader() {
    parser_.emplace();
    parser_->header_limit(16 * 1024);
    parser_->body_limit(shared_->options.max_body_bytes);
    stream_.expires_after(shared_->options.timeout);
    beast_http::async_read_header(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, size_t) { self->OnHeader(ec); });
  }

  void OnHeader(beast::error_code ec) {
    if (ec) return OnReadError(ec);
    const auto& req = parser_->get();
    // curl and others wait for "100 Continue" before sending a large body.
    if (beast::iequals(req[beast_http::field::expect], "100-continue")) {
      if (req.payload_size() && *req.payload_size() > shared_->options.max_body_bytes)
        return Refuse(beast_http::status::payload_too_large, "body too large");
      auto cont = std::make_shared<beast_http::response<beast_http::empty_body>>(
          beast_http::status::continue_, req.version());
      beast_http::async_write(stream_, *cont,
                              [self = shared_from_this(), cont](beast::error_code wec, size_t) {
                                if (wec) return self->Close();
                                self->ReadBody();
                              });
      return;
    }
    ReadBody();
  }

  void ReadBody() {
    stream_.expires_after(shared_->options.timeout);
    beast_http::async_read(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, size_t) { self->OnRead(ec); });
  }

  void OnReadError(beast::error_code ec) {
    if (ec == beast_http::error::body_limit)
      return Refuse(beast_http::status::payload_too_large, "body too large");
    if (ec == beast_http::error::header_limit)
      return Refuse(beast_http::status::request_header_fields_too_large, "headers too large");
    if (ec.category() == beast_http::make_error_code(beast_http::error::bad_method).category() &&
        ec != beast_http::error::end_of_stream && ec != beast_http::error::partial_message)
      return Refuse(beast_http::status::bad_request, "malformed HTTP request");
    Close();  // the peer went away or timed out
  }

  void OnRead(beast::error_code ec) {
    if (ec) return OnReadError(ec);
    Request req = parser_->release();
    const unsigned version = req.version();
    const bool keep_alive = req.keep_alive();
    shared_->Begin();
    auto self = shared_from_this();
    shared_->handler(std::move(req), [self, version, keep_alive](Response res) {
      net::post(self->stream_.get_executor(),
                [self, version, keep_alive, res = std::move(res)]() mutable {
                  self->Write(std::move(res), version, keep_alive, /*counted=*/true);
                });
    });
  }

  // Answers a request the handler never saw, then closes the connection
  // (the rest of its bytes cannot be trusted).
  void Refuse(beast_http::status status, const std::string& why) {
    Response res =
        shared_->options.refuse ? shared_->options.refuse(status, why) : Response{status, 11};
    res.result(status);
    Write(std::move(res), 11, /*keep_alive=*/false, /*counted=*/false);
  }

  void Write(Response res, unsigned version, bool keep_alive, bool counted) {
    res.version(version);
    res.keep_alive(keep_alive && !shared_->stopping.load());
    res.prepare_payload();
    auto sp = std::make_shared<Response>(std::move(res));
    stream_.expires_after(shared_->options.timeout);
    beast_http::async_write(stream_, *sp,
                            [self = shared_from_this(), sp, counted](beast::error_code ec, size_t) {
                              if (counted) self->shared_->End();
                              if (ec || !sp->keep_alive()) return self->Close();
                              self->ReadHeader();
                            });
  }

  void Close() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream_.close();
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<beast_http::request_parser<beast_http::string_body>> parser_;
  std::shared_ptr<Server::Shared> shared_;
};

}  // namespace

Result<std::unique_ptr<Server>> Server::Listen(ServerOptions options, Handler handler) {
  std::unique_ptr<Server> s(new Server());
  s->options_ = options;
  s->shared_ = std::make_shared<Shared>();
  s->shared_->handler = std::move(handler);
  s->shared_->options = std::move(options);
  s->shared_->in_flight = &s->in_flight_;
  beast::error_code ec;
  const auto address = net::ip::make_address(s->options_.host, ec);
  if (ec)
    return MakeError(ErrorKind::kInvalidArgument, "server.listen",
                     "not an IP address: " + s->options_.host,
                     "监听地址不是有效的 IP 地址：" + s->options_.host, "listen");
  const tcp::endpoint endpoint(address, s->options_.port);
  auto acceptor = std::make_unique<tcp::acceptor>(net::make_strand(s->io_));
  acceptor->open(endpoint.protocol(), ec);
  if (!ec) acceptor->set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) acceptor->bind(endpoint, ec);
  if (!ec) acceptor->listen(net::socket_base::max_listen_connections, ec);
  if (ec) {
    const std::string where = s->options_.host + ":" + std::to_string(s->options_.port);
    return MakeError(ErrorKind::kUnavailable, "server.listen",
                     "cannot listen on " + where + ": " + ec.message(),
                     "无法在 " + where + " 上监听（端口可能已被占用）：" + ec.message(), "listen");
  }
  s->port_ = acceptor->local_endpoint().port();
  s->acceptor_ = std::move(acceptor);
  return s;
}

Server::~Server() { Stop(std::chrono::milliseconds(0)); }

void Server::Start() {
  work_.emplace(io_.get_executor());
  Accept();
  const int n = std::max(1, options_.threads);
  for (int i = 0; i < n; ++i) threads_.emplace_back([this] { io_.run(); });
}

void Server::Accept() {
  acceptor_->async_accept(net::make_strand(io_), [this](beast::error_code ec, tcp::socket socket) {
    if (shared_->stopping.load()) return;
    if (!ec) std::make_shared<Session>(std::move(socket), shared_)->Run();
    Accept();
  });
}

void Server::Stop(std::chrono::milliseconds grace) {
  if (stopped_) return;
  stopped_ = true;
  shared_->stopping = true;
  net::post(acceptor_->get_executor(), [this] {
    beast::error_code ignored;
    acceptor_->close(ignored);
  });
  {
    std::unique_lock lock(shared_->mu);
    shared_->idle.wait_for(lock, grace, [this] { return in_flight_.load() == 0; });
  }
  work_.reset();
  io_.stop();
  for (auto& t : threads_)
    if (t.joinable()) t.join();
}

}  // namespace aidtrail::api::http
