// `aidtrail serve`: the command pipeline, the projections and the HTTP API
// in one process, until SIGTERM or SIGINT.
#pragma once

#include <string>

#include "aidtrail/api/server.pb.h"

namespace aidtrail::api {

struct ServeOptions {
  ServerConfig config;
  std::string port_file;  // if set, the bound port is written here once listening
};

// Returns the process exit code.
int Serve(const ServeOptions& options);

}  // namespace aidtrail::api
