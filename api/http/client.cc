#include "api/http/client.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace aidtrail::api::http {

namespace net = boost::asio;
namespace beast = boost::beast;

Result<ClientResponse> Get(const std::string& url, const std::string& bearer) {
  constexpr std::string_view kScheme = "http://";
  if (url.rfind(kScheme, 0) != 0)
    return MakeError(ErrorKind::kInvalidArgument, "client.url", "only http:// URLs: " + url,
                     "地址须以 http:// 开头：" + url);
  const std::string rest = url.substr(kScheme.size());
  const size_t slash = rest.find('/');
  const std::string hostport = rest.substr(0, slash);
  const std::string target = slash == std::string::npos ? "/" : rest.substr(slash);
  const size_t colon = hostport.rfind(':');
  const std::string host = hostport.substr(0, colon);
  const std::string port = colon == std::string::npos ? "80" : hostport.substr(colon + 1);
  try {
    net::io_context io;
    net::ip::tcp::resolver resolver(io);
    beast::tcp_stream stream(io);
    stream.expires_after(std::chrono::seconds(30));
    stream.connect(resolver.resolve(host, port));
    beast::http::request<beast::http::empty_body> req{beast::http::verb::get, target, 11};
    req.set(beast::http::field::host, hostport);
    if (!bearer.empty()) req.set(beast::http::field::authorization, "Bearer " + bearer);
    beast::http::write(stream, req);
    beast::flat_buffer buffer;
    beast::http::response<beast::http::string_body> res;
    beast::http::read(stream, buffer, res);
    beast::error_code ignored;
    stream.socket().shutdown(net::ip::tcp::socket::shutdown_both, ignored);
    return ClientResponse{static_cast<int>(res.result_int()), std::move(res.body())};
  } catch (const std::exception& e) {
    return MakeError(ErrorKind::kUnavailable, "client.unavailable",
                     "cannot reach " + url + ": " + e.what(),
                     "无法访问服务器 " + url + "：" + e.what());
  }
}

}  // namespace aidtrail::api::http
