// The server's configuration: defaults, then the JSON file, then AIDTRAIL_*
// environment variables, then command-line flags. Validated once at start
// so that a mistake is reported in words before anything is opened.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "aidtrail/api/server.pb.h"
#include "events/core/result.h"

namespace aidtrail::api {

// Settings given on the command line (unset: not given).
struct ConfigFlags {
  std::optional<std::string> listen, data, kafka, topic;
  std::optional<int> partitions, threads;
  std::optional<std::string> writer_url, writer_name;
  std::optional<bool> read_only;
  std::optional<uint32_t> takeover_after_ms;
};

ServerConfig DefaultConfig();
// Reads a configuration file strictly (unknown fields are errors).
Result<ServerConfig> ReadConfigFile(const std::string& path);
Status WriteConfigFile(const std::string& path, const ServerConfig& config);
// Layers env (`getenv`) and flags over `base`, then validates the result.
Result<ServerConfig> ResolveConfig(ServerConfig base, const ConfigFlags& flags,
                                   const std::map<std::string, std::string>& env);
Status ValidateConfig(const ServerConfig& config);

// "HOST:PORT" -> host, port.
Result<std::pair<std::string, uint16_t>> ParseListen(const std::string& listen);

}  // namespace aidtrail::api
