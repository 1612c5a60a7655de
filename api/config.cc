#include "api/config.h"

#include <google/protobuf/util/json_util.h>

#include <charconv>
#include <fstream>
#include <sstream>

#include "api/auth.h"
#include "api/json.h"

namespace aidtrail::api {

namespace {

Error Bad(const std::string& field, const std::string& en, const std::string& zh) {
  return MakeError(ErrorKind::kInvalidArgument, "config.invalid", field + ": " + en,
                   "配置项 " + field + "：" + zh, field);
}

}  // namespace

ServerConfig DefaultConfig() {
  ServerConfig c;
  c.set_listen("127.0.0.1:8080");
  c.set_data("./aidtrail-data");
  c.set_topic("aidtrail.log");
  c.set_partitions(8);
  c.set_threads(2);
  c.set_max_body_bytes(1 << 20);
  c.set_request_timeout_ms(30000);
  c.set_takeover_after_ms(2000);
  c.set_writer_name("server");
  return c;
}

Result<ServerConfig> ReadConfigFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return MakeError(ErrorKind::kNotFound, "config.file",
                     "cannot read the configuration file " + path, "无法读取配置文件 " + path);
  std::stringstream text;
  text << in.rdbuf();
  ServerConfig c = DefaultConfig();
  ServerConfig from_file;
  if (auto s = ParseJson(text.str(), from_file); !s.ok()) {
    Error e = s.error();
    e.code = "config.file";
    e.message = path + ": " + e.message;
    e.message_zh = "配置文件 " + path + " 有误：" + e.message_zh;
    return e;
  }
  c.MergeFrom(from_file);
  return c;
}

Status WriteConfigFile(const std::string& path, const ServerConfig& config) {
  google::protobuf::util::JsonPrintOptions o;
  o.add_whitespace = true;
  o.preserve_proto_field_names = true;
  std::string text;
  (void)google::protobuf::util::MessageToJsonString(config, &text, o);
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << text;
    if (!out)
      return MakeError(ErrorKind::kUnavailable, "config.write", "cannot write " + tmp,
                       "无法写入配置文件 " + tmp);
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0)
    return MakeError(ErrorKind::kUnavailable, "config.write", "cannot replace " + path,
                     "无法替换配置文件 " + path);
  return Status::Ok();
}

Result<std::pair<std::string, uint16_t>> ParseListen(const std::string& listen) {
  const auto colon = listen.rfind(':');
  if (colon == std::string::npos || colon == 0)
    return Bad("listen", "must be HOST:PORT, e.g. 127.0.0.1:8080",
               "格式应为 主机:端口，例如 127.0.0.1:8080");
  unsigned port = 0;
  const std::string p = listen.substr(colon + 1);
  const auto [end, ec] = std::from_chars(p.data(), p.data() + p.size(), port);
  if (ec != std::errc() || end != p.data() + p.size() || port > 65535)
    return Bad("listen", "the port must be a number from 0 to 65535",
               "端口应为 0 至 65535 之间的数字");
  return std::make_pair(listen.substr(0, colon), uint16_t(port));
}

Status ValidateConfig(const ServerConfig& c) {
  if (auto l = ParseListen(c.listen()); !l.ok()) return l.error();
  if (c.data().empty()) return Bad("data", "a data directory is required", "须指定数据目录");
  if (c.partitions() < 1 || c.partitions() > 1024)
    return Bad("partitions", "must be from 1 to 1024", "分区数应在 1 至 1024 之间");
  if (c.threads() < 1 || c.threads() > 64)
    return Bad("threads", "must be from 1 to 64", "线程数应在 1 至 64 之间");
  if (c.max_body_bytes() < 1024 || c.max_body_bytes() > (64u << 20))
    return Bad("max_body_bytes", "must be from 1 KiB to 64 MiB",
               "请求体上限应在 1 KiB 至 64 MiB 之间");
  if (c.request_timeout_ms() < 100)
    return Bad("request_timeout_ms", "must be at least 100", "超时不得少于 100 毫秒");
  if (c.writer_name().empty() || c.writer_name().find('/') != std::string::npos)
    return Bad("writer_name", "must be a non-empty name without '/'",
               "写入者名称不能为空，且不能含有“/”");
  if (c.takeover_after_ms() > 600000)
    return Bad("takeover_after_ms", "must be at most 600000 (10 minutes)",
               "接管等待时间不得超过 600000 毫秒");
  if (!c.kafka().empty() && c.topic().empty())
    return Bad("topic", "a Kafka topic is required", "使用 Kafka 时须指定主题");
  if (c.tokens().empty())
    return Bad("tokens",
               "no tokens are configured, so nobody could call the API; create one with "
               "`aidtrail token --config FILE --role supervisor --actor ID`",
               "未配置任何令牌，无人能调用接口；请用 `aidtrail token --config 文件 --role "
               "supervisor --actor 编号` 创建");
  if (auto t = TokenTable::Build(c.tokens()); !t.ok()) return t.error();
  return Status::Ok();
}

Result<ServerConfig> ResolveConfig(ServerConfig c, const ConfigFlags& f,
                                   const std::map<std::string, std::string>& env) {
  auto layer = [&](const char* name, const std::optional<std::string>& flag, auto setter) {
    if (flag) return setter(*flag);
    if (auto it = env.find(name); it != env.end() && !it->second.empty()) setter(it->second);
  };
  layer("AIDTRAIL_LISTEN", f.listen, [&](const std::string& v) { c.set_listen(v); });
  layer("AIDTRAIL_DATA", f.data, [&](const std::string& v) { c.set_data(v); });
  layer("AIDTRAIL_KAFKA", f.kafka, [&](const std::string& v) { c.set_kafka(v); });
  layer("AIDTRAIL_TOPIC", f.topic, [&](const std::string& v) { c.set_topic(v); });
  if (f.partitions) c.set_partitions(*f.partitions);
  if (f.threads) c.set_threads(*f.threads);
  layer("AIDTRAIL_WRITER_URL", f.writer_url, [&](const std::string& v) { c.set_writer_url(v); });
  layer("AIDTRAIL_WRITER_NAME", f.writer_name, [&](const std::string& v) { c.set_writer_name(v); });
  if (f.read_only) c.set_read_only(*f.read_only);
  if (f.takeover_after_ms) c.set_takeover_after_ms(*f.takeover_after_ms);
  if (auto s = ValidateConfig(c); !s.ok()) return s.error();
  return c;
}

}  // namespace aidtrail::api
