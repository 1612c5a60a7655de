// The centre's documents over HTTP:
//   GET /v1/cases/{case_id}/documents            which were issued, when, by whom, to whom
//   GET /v1/cases/{case_id}/documents/{version}?purpose=…   the printable page (A4 HTML)
// Issuing one is the command issue_document (POST /v1/commands/issue_document).
// A page names a person, so reading it is a recorded read of that person's
// name (personal_read.h), masked for roles that see masked values; the page
// is rendered from the case's events up to the document and names the
// checkpoint it was made at. PDF: ops/print-document.sh prints the page
// with headless Chromium.
#include <array>
#include <charconv>

#include "api/app.h"
#include "api/document/render.h"
#include "api/json.h"
#include "api/personal_read.h"
#include "events/core/hash_chain.h"
#include "events/domain/documents.h"
#include "projections/audit_view.h"
#include "projections/case_queries.h"

namespace aidtrail::api {

namespace bhttp = boost::beast::http;

namespace {

const std::vector<v1::Role> kDocumentReaders{
    v1::ROLE_INTAKE,     v1::ROLE_REVIEWER, v1::ROLE_ASSIGNER, v1::ROLE_LAWYER,
    v1::ROLE_SUPERVISOR, v1::ROLE_AUDITOR,  v1::ROLE_ADMIN};

Error NoCase(const std::string& stream) {
  return MakeError(ErrorKind::kNotFound, "case.not_found", "no such case: " + stream,
                   "没有这个案件：" + stream, "case_id");
}

// The case's timeline, if the principal may see the case (a lawyer only
// their own; one they may not see looks like one that does not exist).
Result<std::vector<v1::Event>> VisibleTimeline(const projections::CaseQueries& q,
                                               const Context& ctx, const std::string& stream) {
  auto summary = q.Summary(stream, ctx.now);
  if (!summary.ok() ||
      (ctx.principal->role == v1::ROLE_LAWYER && summary->lawyer_id() != ctx.principal->actor_id))
    return NoCase(stream);
  return q.Timeline(stream);
}

std::string PayloadName(const v1::EventPayload& p) {
  const auto* f = p.GetDescriptor()->FindFieldByNumber(int(p.kind_case()));
  return f ? f->name() : "";
}

DocumentEntry EntryOf(const v1::Event& e, const std::vector<v1::Event>& timeline) {
  const auto& d = e.payload().document_issued();
  const domain::DocumentSpec* spec = domain::FindDocumentSpec(d.kind());
  DocumentEntry out;
  out.set_kind(v1::DocumentKind_Name(d.kind()));
  if (spec) {
    out.set_slug(spec->slug);
    out.set_title_zh(spec->title_zh);
    out.set_title_en(spec->title_en);
  }
  out.set_number(d.number());
  out.set_version(e.stream_version());
  out.set_event_id(e.event_id());
  *out.mutable_issued_at() = e.occurred_at();
  *out.mutable_issued_by() = e.actor();
  out.set_addressee(d.addressee());
  out.set_lawyer_id(d.lawyer_id());
  out.set_firm_id(d.firm_id());
  out.set_basis_version(d.basis_version());
  out.set_year(d.year());
  out.set_serial(d.serial());
  for (const auto& b : timeline)
    if (b.stream_version() == d.basis_version()) out.set_basis(PayloadName(b.payload()));
  return out;
}

std::string RegisteredName(const projections::CaseQueries& q, const std::string& stream) {
  std::string name;
  for (const v1::Event& e : q.Timeline(stream)) {
    if (e.payload().has_lawyer_registered()) name = e.payload().lawyer_registered().name();
    if (e.payload().has_firm_registered()) name = e.payload().firm_registered().name();
  }
  return name;
}

http::Response Page(std::string html) {
  http::Response res{bhttp::status::ok, 11};
  res.set(bhttp::field::content_type, "text/html; charset=utf-8");
  // The page may carry a clear name: never kept by a cache.
  res.set(bhttp::field::cache_control, "no-store");
  res.body() = std::move(html);
  return res;
}

}  // namespace

void AddDocumentRoutes(Router& router, App& app) {
  router.Add({bhttp::verb::get, "/v1/cases/{case_id}/documents", kDocumentReaders,
              "案件已出具的法律文书（编号、出具人、时间、送达对象） Documents issued on a case",
              [&app](Context ctx, http::Reply reply) {
                const std::string stream = "case/" + ctx.params.at("case_id");
                const auto engine = app.views.Snapshot();
                projections::CaseQueries q(engine->store());
                auto timeline = VisibleTimeline(q, ctx, stream);
                if (!timeline.ok()) return reply(ErrorResponse(timeline.error()));
                DocumentList out;
                out.set_case_id(stream);
                for (const auto& e : *timeline)
                  if (e.payload().has_document_issued())
                    *out.add_documents() = EntryOf(e, *timeline);
                reply(JsonResponse(bhttp::status::ok, out));
              }});
  router.Add(
      {bhttp::verb::get, "/v1/cases/{case_id}/documents/{version}", kDocumentReaders,
       "法律文书（A4 打印页；文书载有当事人姓名，须说明用途，查阅被记录） A document's printable "
       "page (recorded read)",
       [&app](Context ctx, http::Reply reply) {
         const std::string stream = "case/" + ctx.params.at("case_id");
         const std::string& vtext = ctx.params.at("version");
         uint64_t version = 0;
         auto [ptr, ec] = std::from_chars(vtext.data(), vtext.data() + vtext.size(), version);
         if (ec != std::errc() || ptr != vtext.data() + vtext.size() || version == 0)
           return reply(ErrorResponse(
               MakeError(ErrorKind::kInvalidArgument, "request.bad_parameter",
                         "version: the document's record number, from GET …/documents",
                         "参数 version 应为文书记录序号（见文书列表）", "version")));
         const std::string purpose = ctx.Query("purpose");
         if (purpose.empty())
           return reply(ErrorResponse(MakeError(
               ErrorKind::kInvalidArgument, "request.missing_purpose",
               "a document names a person: say why you read it, ?purpose=…",
               "文书载有当事人个人信息，查阅须说明用途：请在 purpose 参数中填写（将被记录）",
               "purpose")));
         document::Input in;
         in.case_stream = stream;
         in.document_version = version;
         std::vector<SealedPerson> people;
         {
           const auto engine = app.views.Snapshot();
           projections::CaseQueries q(engine->store());
           auto timeline = VisibleTimeline(q, ctx, stream);
           if (!timeline.ok()) return reply(ErrorResponse(timeline.error()));
           // What the document says is the record up to its issue.
           std::erase_if(*timeline,
                         [&](const v1::Event& e) { return e.stream_version() > version; });
           const v1::Event* doc = document::FindDocument(*timeline, version);
           if (doc == nullptr)
             return reply(ErrorResponse(MakeError(
                 ErrorKind::kNotFound, "document.not_found",
                 "no document was issued at version " + vtext + " of " + stream,
                 "该案件第" + vtext + "条记录不是已出具的文书，请从文书列表选择", "version")));
           const auto& d = doc->payload().document_issued();
           const CivilDate issued = CivilDate::Of(Instant::FromProto(doc->occurred_at()));
           in.centre_name = q.Policy()->Jurisdiction(issued).centre_name();
           for (const auto& e : *timeline) {
             const auto& p = e.payload();
             const std::array<const std::string*, 3> ids{&p.lawyer_assigned().lawyer_id(),
                                                         &p.lawyer_replaced().lawyer_id(),
                                                         &p.lawyer_replaced().previous_lawyer_id()};
             for (const std::string* id : ids)
               if (!id->empty() && !in.lawyer_names.count(*id))
                 in.lawyer_names[*id] = RegisteredName(q, "lawyer/" + *id);
           }
           if (!d.firm_id().empty())
             in.firm_names[d.firm_id()] = RegisteredName(q, "firm/" + d.firm_id());
           const auto cp = projections::AuditQueries(engine->store()).Current(app.log.partitions());
           in.checkpoint_size = cp.size();
           in.checkpoint_root_hex = ToHex(cp.root);
           // The person it is addressed to or speaks of: the applicant, or
           // the defendant of a notified case — the first person recorded.
           people = PeopleOf(*timeline);
           if (people.size() > 1) people.resize(1);
           in.timeline = std::move(timeline).value();
         }
         if (people.empty()) {
           auto html = document::RenderHtml(in);
           return reply(html.ok() ? Page(std::move(html).value()) : ErrorResponse(html.error()));
         }
         RecordAndOpen(
             app, ctx, stream, std::move(people), {"name"}, purpose,
             [reply, in = std::move(in)](Result<OpenedRead> r) mutable {
               if (!r.ok()) return reply(ErrorResponse(r.error()));
               in.access_stream = "access/" + in.case_stream.substr(5);
               in.access_version = r->access_version;
               in.person_masked = r->masked;
               if (!r->people.empty() && r->people.front().unavailable().empty())
                 in.person_name = r->people.front().personal().name();
               auto html = document::RenderHtml(in);
               reply(html.ok() ? Page(std::move(html).value()) : ErrorResponse(html.error()));
             });
       }});
}

}  // namespace aidtrail::api
