// GET /v1/cases/{case_id}/personal?purpose=…[&fields=name,phone]: the people
// of a case, opened from their sealed personal data. The read is recorded
// first (record_personal_data_access on "access/<case id>", one event per
// person, in one commit); if it cannot be recorded nothing is shown. Roles
// that need no clear data (auditor, admin) see masked values, recorded as
// masked reads.
#include <atomic>

#include "api/app.h"
#include "api/json.h"
#include "api/personal_read.h"
#include "events/core/masking.h"
#include "events/core/person_refs.h"
#include "projections/case_queries.h"

namespace aidtrail::api {

namespace bhttp = boost::beast::http;

namespace {

const std::vector<std::string> kAllFields{"name", "id_number", "phone", "address"};

Result<std::vector<std::string>> FieldsOf(const Context& ctx) {
  const std::string text = ctx.Query("fields");
  if (text.empty()) return kAllFields;
  std::vector<std::string> out;
  for (size_t i = 0; i <= text.size();) {
    const size_t j = std::min(text.find(',', i), text.size());
    const std::string f = text.substr(i, j - i);
    if (std::find(kAllFields.begin(), kAllFields.end(), f) == kAllFields.end())
      return MakeError(
          ErrorKind::kInvalidArgument, "request.bad_parameter", "fields: unknown field " + f,
          "参数 fields：未知字段 “" + f + "”；可选 name、id_number、phone、address", "fields");
    out.push_back(f);
    i = j + 1;
  }
  return out;
}

// Keeps only the fields asked for.
v1::PersonalData Select(const v1::PersonalData& p, const std::vector<std::string>& fields) {
  v1::PersonalData out;
  auto has = [&](const char* f) {
    return std::find(fields.begin(), fields.end(), f) != fields.end();
  };
  if (has("name")) out.set_name(p.name());
  if (has("id_number")) out.set_id_number(p.id_number());
  if (has("phone")) out.set_phone(p.phone());
  if (has("address")) out.set_address(p.address());
  return out;
}

}  // namespace

bool SeesMasked(v1::Role role) { return role == v1::ROLE_AUDITOR || role == v1::ROLE_ADMIN; }

std::vector<SealedPerson> PeopleOf(std::vector<v1::Event> timeline) {
  std::vector<SealedPerson> out;
  for (auto& e : timeline) {
    const auto* field =
        e.payload().GetDescriptor()->FindFieldByNumber(int(e.payload().kind_case()));
    const std::string source = field ? field->name() : "";
    ForEachPersonRef(*e.mutable_payload(), [&](v1::PersonRef& p) {
      if (p.subject_id().empty()) return;
      auto it = std::find_if(out.begin(), out.end(),
                             [&](const SealedPerson& s) { return s.subject_id == p.subject_id(); });
      if (it == out.end()) {
        out.push_back({p.subject_id(), source, p.sealed_personal()});
      } else if (!p.sealed_personal().empty()) {
        it->sealed = p.sealed_personal();
      }
    });
  }
  return out;
}

void RecordAndOpen(App& app, const Context& ctx, const std::string& case_stream,
                   std::vector<SealedPerson> people, std::vector<std::string> fields,
                   const std::string& purpose, std::function<void(Result<OpenedRead>)> done) {
  const bool masked = SeesMasked(ctx.principal->role);
  const std::string access_stream = "access/" + case_stream.substr(case_stream.find('/') + 1);
  static std::atomic<uint64_t> seq{0};
  const std::string read_id = "read-" + ctx.principal->actor_id + "-" +
                              std::to_string(ctx.now.micros) + "-" +
                              std::to_string(seq.fetch_add(1));
  std::vector<v1::Command> commands;
  for (const auto& p : people) {
    v1::Command c;
    c.set_command_id(read_id + "-" + p.subject_id);
    c.set_stream_id(access_stream);
    c.mutable_actor()->set_id(ctx.principal->actor_id);
    c.mutable_actor()->set_role(ctx.principal->role);
    c.mutable_actor()->set_agency(ctx.principal->agency);
    c.mutable_occurred_at()->set_seconds(ctx.now.micros / 1'000'000);
    c.mutable_occurred_at()->set_nanos(int32_t(ctx.now.micros % 1'000'000) * 1000);
    auto* a = c.mutable_record_personal_data_access();
    a->set_case_stream_id(case_stream);
    a->set_subject_id(p.subject_id);
    a->set_purpose(purpose);
    for (const auto& f : fields) a->add_fields(f);
    a->set_masked(masked);
    commands.push_back(std::move(c));
  }
  // A read of personal data is recorded first; a replica cannot record.
  if (app.pipeline == nullptr) return done(ReadOnlyError(app));
  app.pipeline->ExecuteBatchAsync(
      read_id, std::move(commands),
      [&app, people = std::move(people), fields = std::move(fields), masked,
       done = std::move(done)](Result<ingest::CommandResult> r) {
        if (!r.ok()) return done(r.error());
        OpenedRead out;
        out.access_version = r->last_version;
        out.masked = masked;
        for (const auto& p : people) {
          Person& person = out.people.emplace_back();
          person.set_subject_id(p.subject_id);
          person.set_source(p.source);
          if (p.sealed.empty()) {
            person.set_unavailable("personal.not_recorded");
            continue;
          }
          auto opened = app.vault.Open(p.subject_id, p.sealed);
          if (!opened.ok()) {
            person.set_unavailable(opened.error().code);
            continue;
          }
          const auto chosen = Select(*opened, fields);
          *person.mutable_personal() = masked ? MaskPersonalData(chosen) : chosen;
        }
        done(std::move(out));
      });
}

void AddPersonalRoute(Router& router, App& app) {
  router.Add({bhttp::verb::get,
              "/v1/cases/{case_id}/personal",
              {v1::ROLE_INTAKE, v1::ROLE_REVIEWER, v1::ROLE_ASSIGNER, v1::ROLE_LAWYER,
               v1::ROLE_SUPERVISOR, v1::ROLE_AUDITOR, v1::ROLE_ADMIN},
              "查阅案件当事人个人信息（须说明用途；每次查阅均被记录） Read a case's personal data "
              "(recorded)",
              [&app](Context ctx, http::Reply reply) {
                const std::string case_id = ctx.params.at("case_id");
                const std::string stream = "case/" + case_id;
                const std::string purpose = ctx.Query("purpose");
                if (purpose.empty())
                  return reply(ErrorResponse(MakeError(
                      ErrorKind::kInvalidArgument, "request.missing_purpose",
                      "say why you read personal data: ?purpose=…",
                      "查阅个人信息须说明用途：请在 purpose 参数中填写（将被记录）", "purpose")));
                auto fields = FieldsOf(ctx);
                if (!fields.ok()) return reply(ErrorResponse(fields.error()));
                std::vector<SealedPerson> people;
                {
                  const auto engine = app.views.Snapshot();
                  projections::CaseQueries q(engine->store());
                  auto summary = q.Summary(stream, ctx.now);
                  const bool own =
                      summary.ok() && (ctx.principal->role != v1::ROLE_LAWYER ||
                                       summary->lawyer_id() == ctx.principal->actor_id);
                  if (!own)
                    return reply(ErrorResponse(MakeError(ErrorKind::kNotFound, "case.not_found",
                                                         "no such case: " + stream,
                                                         "没有这个案件：" + stream, "case_id")));
                  people = PeopleOf(q.Timeline(stream));
                }
                PersonalDataRead out;
                out.set_case_id(stream);
                out.set_masked(SeesMasked(ctx.principal->role));
                out.set_purpose(purpose);
                out.set_access_stream("access/" + case_id);
                if (people.empty()) return reply(JsonResponse(bhttp::status::ok, out));
                RecordAndOpen(app, ctx, stream, std::move(people), std::move(fields).value(),
                              purpose, [reply, out](Result<OpenedRead> r) mutable {
                                if (!r.ok()) return reply(ErrorResponse(r.error()));
                                out.set_access_version(r->access_version);
                                for (auto& p : r->people) *out.add_people() = std::move(p);
                                reply(JsonResponse(bhttp::status::ok, out));
                              });
              }});
}

}  // namespace aidtrail::api
