// Writes. The body is an aidtrail.v1.Command in canonical JSON whose payload
// is the route's kind; the actor always comes from the token, never from
// the body, and occurred_at defaults to now.
#include <google/protobuf/util/time_util.h>

#include <chrono>

#include "api/app.h"
#include "api/json.h"
#include "events/domain/commands.h"

namespace aidtrail::api {

namespace bhttp = boost::beast::http;

std::string CommandRouteName(v1::Command::KindCase kind) {
  const auto* field = v1::Command::descriptor()->FindFieldByNumber(static_cast<int>(kind));
  return field ? field->name() : std::string();
}

namespace {

Error Invalid(const std::string& code, const std::string& en, const std::string& zh,
              const std::string& field) {
  return MakeError(ErrorKind::kInvalidArgument, code, en, zh, field);
}

// Checks what only the HTTP layer can: the payload matches the route and
// the body does not claim an identity.
Status CheckEnvelope(const v1::Command& c, v1::Command::KindCase kind, const std::string& name) {
  if (c.kind_case() == v1::Command::KIND_NOT_SET)
    return Invalid("request.missing_payload",
                   "the body must carry the command under the key of this route",
                   "请求体缺少指令内容：应在字段 “" + name + "” 下给出", name);
  if (c.kind_case() != kind)
    return Invalid(
        "request.kind_mismatch",
        "the body's command is " + CommandRouteName(c.kind_case()) + ", not " + name,
        "请求体中的指令（" + CommandRouteName(c.kind_case()) + "）与接口地址（" + name + "）不一致",
        name);
  if (c.has_actor())
    return Invalid("request.actor_in_body",
                   "the actor comes from the token; remove 'actor' from the body",
                   "操作人由令牌确定，请从请求体中删除 actor 字段", "actor");
  if (c.has_migration())
    return Invalid(
        "request.migration_in_body",
        "history is loaded with `aidtrail import`, which marks it a migration; over the API a past "
        "step is a late entry: give lateEntry.reason instead",
        "历史数据须通过 aidtrail import 迁移导入；经接口登记过去的事项属于补录，请改为填写 "
        "lateEntry.reason",
        "migration");
  if (c.command_id().empty())
    return Invalid("request.missing_command_id",
                   "commandId is required (a retry with the same id is safe)",
                   "缺少 commandId（指令编号）；重试时使用相同编号可避免重复记录", "commandId");
  if (c.stream_id().empty())
    return Invalid("request.missing_stream_id", "streamId is required, e.g. case/2026-0001",
                   "缺少 streamId（对象编号），例如 case/2026-0001", "streamId");
  return Status::Ok();
}

v1::Actor ActorOf(const Principal& p) {
  v1::Actor a;
  a.set_id(p.actor_id);
  a.set_role(p.role);
  a.set_agency(p.agency);
  return a;
}

CommandResponse ToResponse(const ingest::CommandResult& r) {
  CommandResponse out;
  out.set_stream_id(r.stream_id);
  out.set_first_version(r.first_version);
  out.set_last_version(r.last_version);
  out.mutable_position()->set_partition(r.position.partition);
  out.mutable_position()->set_offset(static_cast<uint64_t>(r.position.offset));
  for (const auto& e : r.events) *out.add_events() = e;
  out.set_replayed(r.replayed);
  return out;
}

const char* ResultLabel(const Result<ingest::CommandResult>& r) {
  if (r.ok()) return r->replayed ? "replayed" : "accepted";
  switch (r.error().kind) {
    case ErrorKind::kUnavailable:
    case ErrorKind::kCorruption:
      return "failed";
    default:
      return "rejected";
  }
}

}  // namespace

Error ReadOnlyError(const App& app) {
  const std::string where = app.writer_url.empty() ? std::string() : " (" + app.writer_url + ")";
  return MakeError(
      ErrorKind::kUnavailable, "server.read_only",
      "this server is a read replica and records nothing; send commands to the writer" + where,
      "本服务器为只读副本，不能记录指令；请将指令发往写入服务器" +
          (app.writer_url.empty() ? std::string() : "（" + app.writer_url + "）"));
}

void AddCommandRoutes(Router& router, App& app) {
  for (const auto& spec : domain::AllCommands()) {
    const std::string name = CommandRouteName(spec.kind);
    std::vector<v1::Role> roles;
    for (auto r : spec.roles)
      if (r != v1::ROLE_SYSTEM) roles.push_back(r);
    if (roles.empty()) continue;  // recorded by the system itself, never over HTTP
    const auto kind = spec.kind;
    app.metrics.DeclareCommand(name);
    router.Add(Route{
        bhttp::verb::post, "/v1/commands/" + name, roles, std::string(spec.label_zh),
        [&app, kind, name](Context ctx, http::Reply reply) {
          v1::Command command;
          if (auto s = ParseJson(ctx.request.body(), command); !s.ok())
            return reply(ErrorResponse(s.error()));
          if (auto s = CheckEnvelope(command, kind, name); !s.ok())
            return reply(ErrorResponse(s.error()));
          *command.mutable_actor() = ActorOf(*ctx.principal);
          if (!command.has_occurred_at())
            *command.mutable_occurred_at() =
                google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(ctx.now.micros);
          if (command.correlation_id().empty())
            command.set_correlation_id(std::string(ctx.request["X-Correlation-Id"]));
          if (app.pipeline == nullptr) {
            app.metrics.Command(name, "rejected");
            return reply(ErrorResponse(ReadOnlyError(app)));
          }
          const auto start = std::chrono::steady_clock::now();
          app.pipeline->ExecuteAsync(std::move(command), [&app, name, start,
                                                          reply](Result<ingest::CommandResult> r) {
            app.metrics.Command(name, ResultLabel(r));
            if (!r.ok()) return reply(ErrorResponse(r.error()));
            if (!r->replayed) {
              app.metrics.AppendSeconds(
                  std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
              app.metrics.EventsAppended(r->events.size());
            }
            auto res = std::make_shared<http::Response>(JsonResponse(
                r->replayed ? bhttp::status::ok : bhttp::status::created, ToResponse(*r)));
            app.visible.Wait(r->position, [reply, res] { reply(std::move(*res)); });
          });
        }});
  }
}

}  // namespace aidtrail::api
