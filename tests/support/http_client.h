// A small synchronous HTTP/1.1 client for tests of the running server: one
// keep-alive connection, reopened when the server has closed it.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>

namespace aidtrail::testing {

struct HttpResponse {
  int status = 0;                              // 0: no answer (the error is in `body`)
  std::map<std::string, std::string> headers;  // names in lower case
  std::string body;

  [[nodiscard]] std::string Header(const std::string& lower_name) const;
};

struct HttpRequest {
  std::string method = "GET";
  std::string target = "/";
  std::map<std::string, std::string> headers;
  std::string body;
  // Send the headers with "Expect: 100-continue" and the body only once the
  // server has agreed, as curl does for large bodies: a refusal (413) then
  // arrives before any of the body is sent.
  bool expect_continue = false;
};

class HttpClient {
 public:
  HttpClient(std::string host, uint16_t port);
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  HttpResponse Send(const HttpRequest& request);

  // Shorthands; `token` empty: no Authorization header.
  HttpResponse Get(const std::string& target, const std::string& token = {});
  HttpResponse Post(const std::string& target, const std::string& body,
                    const std::string& token = {});

  // Connections opened so far (keep-alive reuses one).
  [[nodiscard]] int connections() const { return connections_; }
  void Close();

 private:
  struct Connection;
  HttpResponse SendOnce(const HttpRequest& request, bool& retry);

  std::string host_;
  uint16_t port_;
  std::unique_ptr<Connection> conn_;
  int connections_ = 0;
};

}  // namespace aidtrail::testing
