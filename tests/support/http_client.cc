#include "tests/support/http_client.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cctype>
#include <chrono>

namespace aidtrail::testing {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = net::ip::tcp;

namespace {

constexpr auto kTimeout = std::chrono::seconds(30);

std::string Lower(std::string s) {
  for (auto& c : s) c = char(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

HttpResponse Failed(const std::string& what, const beast::error_code& ec) {
  HttpResponse r;
  r.body = what + ": " + ec.message();
  return r;
}

}  // namespace

std::string HttpResponse::Header(const std::string& lower_name) const {
  const auto it = headers.find(lower_name);
  return it == headers.end() ? std::string() : it->second;
}

struct HttpClient::Connection {
  net::io_context io;
  beast::tcp_stream stream{io};
  beast::flat_buffer buffer;
  bool used = false;  // a request was answered on it, so the server may since have closed it
};

HttpClient::HttpClient(std::string host, uint16_t port) : host_(std::move(host)), port_(port) {}
HttpClient::~HttpClient() { Close(); }

void HttpClient::Close() {
  if (!conn_) return;
  beast::error_code ignored;
  conn_->stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
  conn_->stream.close();
  conn_.reset();
}

HttpResponse HttpClient::Send(const HttpRequest& request) {
  bool retry = false;
  HttpResponse res = SendOnce(request, retry);
  if (retry) {
    // The server closed an idle keep-alive connection. It answers every
    // request it reads, so it never read this one: sending it again on a
    // new connection executes it once.
    Close();
    bool again = false;
    res = SendOnce(request, again);
  }
  return res;
}

HttpResponse HttpClient::SendOnce(const HttpRequest& request, bool& retry) {
  beast::error_code ec;
  if (!conn_) {
    conn_ = std::make_unique<Connection>();
    const auto address = net::ip::make_address(host_, ec);
    if (ec) return Failed("address " + host_, ec);
    conn_->stream.expires_after(kTimeout);
    conn_->stream.connect(tcp::endpoint(address, port_), ec);
    if (ec) {
      conn_.reset();
      return Failed("connect", ec);
    }
    ++connections_;
  }
  const bool reused = conn_->used;
  auto& stream = conn_->stream;

  bhttp::request<bhttp::string_body> req;
  const auto verb = bhttp::string_to_verb(request.method);
  if (verb == bhttp::verb::unknown)
    req.method_string(request.method);
  else
    req.method(verb);
  req.target(request.target);
  req.version(11);
  req.set(bhttp::field::host, host_ + ":" + std::to_string(port_));
  for (const auto& [name, value] : request.headers) req.set(name, value);
  req.body() = request.body;
  req.keep_alive(true);
  req.prepare_payload();

  auto read_response = [&](bhttp::response_parser<bhttp::string_body>& parser) {
    parser.body_limit(64 << 20);
    stream.expires_after(kTimeout);
    bhttp::read(stream, conn_->buffer, parser, ec);
  };

  bhttp::response_parser<bhttp::string_body> parser;
  if (request.expect_continue) {
    req.set(bhttp::field::expect, "100-continue");
    bhttp::request_serializer<bhttp::string_body> sr{req};
    stream.expires_after(kTimeout);
    bhttp::write_header(stream, sr, ec);
    if (ec) {
      retry = reused;
      return Failed("write header", ec);
    }
    bhttp::response_parser<bhttp::string_body> interim;
    read_response(interim);
    if (ec) {
      retry = reused && (ec == bhttp::error::end_of_stream || ec == net::error::connection_reset);
      return Failed("read interim response", ec);
    }
    if (interim.get().result() == bhttp::status::continue_) {
      stream.expires_after(kTimeout);
      bhttp::write(stream, sr, ec);
      if (ec) return Failed("write body", ec);
      read_response(parser);
    } else {
      parser.get() = interim.release();  // the final answer came instead of 100
    }
  } else {
    stream.expires_after(kTimeout);
    bhttp::write(stream, req, ec);
    if (ec && reused) {
      retry = true;
      return Failed("write", ec);
    }
    // Even if the write failed, the server may have answered first (a
    // refusal before reading the body); take that answer if it is there.
    read_response(parser);
    if (ec) {
      retry = reused && (ec == bhttp::error::end_of_stream || ec == net::error::connection_reset);
      return Failed("read response", ec);
    }
  }
  if (ec) return Failed("read response", ec);

  auto res = parser.release();
  HttpResponse out;
  out.status = static_cast<int>(res.result_int());
  for (const auto& f : res)
    out.headers[Lower(std::string(f.name_string()))] = std::string(f.value());
  out.body = std::move(res.body());
  conn_->used = true;
  if (!res.keep_alive()) Close();
  return out;
}

HttpResponse HttpClient::Get(const std::string& target, const std::string& token) {
  HttpRequest r;
  r.target = target;
  if (!token.empty()) r.headers["Authorization"] = "Bearer " + token;
  return Send(r);
}

HttpResponse HttpClient::Post(const std::string& target, const std::string& body,
                              const std::string& token) {
  HttpRequest r;
  r.method = "POST";
  r.target = target;
  r.body = body;
  r.headers["Content-Type"] = "application/json";
  if (!token.empty()) r.headers["Authorization"] = "Bearer " + token;
  return Send(r);
}

}  // namespace aidtrail::testing
