// Reads. Every answer comes from one snapshot of the views, so a rebuild
// swapping generations underneath never mixes two. Clock-dependent facts
// (deadlines, loop steps) are evaluated at the request's time, or at the
// end of the day named by ?as_of=YYYY-MM-DD.
#include <algorithm>
#include <charconv>
#include <set>

#include "api/app.h"
#include "api/json.h"
#include "events/core/hash_chain.h"
#include "events/core/merkle.h"
#include "events/core/person_refs.h"
#include "events/domain/corrections.h"
#include "events/domain/matters.h"
#include "projections/audit_view.h"
#include "projections/case_queries.h"
#include "projections/green_channel.h"
#include "projections/ledger_queries.h"
#include "projections/service_views.h"

namespace aidtrail::api {

namespace bhttp = boost::beast::http;
using projections::AuditQueries;
using projections::CaseQueries;
using projections::LedgerQueries;
using projections::ServiceQueries;

namespace {

constexpr v1::Role kIntake = v1::ROLE_INTAKE, kReviewer = v1::ROLE_REVIEWER,
                   kAssigner = v1::ROLE_ASSIGNER, kLawyer = v1::ROLE_LAWYER,
                   kSupervisor = v1::ROLE_SUPERVISOR, kAuditor = v1::ROLE_AUDITOR,
                   kAdmin = v1::ROLE_ADMIN, kBureau = v1::ROLE_JUDICIAL_BUREAU;
// Who may read cases at all; lawyers see only their own. The judicial
// bureau reads the cases whose objections it decides.
const std::vector<v1::Role> kCaseReaders{kIntake,     kReviewer, kAssigner, kLawyer,
                                         kSupervisor, kAuditor,  kAdmin,    kBureau};
const std::vector<v1::Role> kOversight{kSupervisor, kAuditor, kAdmin};
const std::vector<v1::Role> kMoney{kAuditor, kSupervisor, kAdmin};

Error BadParam(const std::string& name, const std::string& en, const std::string& zh) {
  return MakeError(ErrorKind::kInvalidArgument, "request.bad_parameter", name + ": " + en,
                   "参数 " + name + "：" + zh, name);
}

Result<int64_t> IntParam(const Context& ctx, const std::string& name, int64_t fallback, int64_t lo,
                         int64_t hi) {
  auto it = ctx.query.find(name);
  std::string text = it != ctx.query.end() ? it->second : std::string();
  if (auto p = ctx.params.find(name); p != ctx.params.end()) text = p->second;
  if (text.empty()) return fallback;
  int64_t v = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || v < lo || v > hi)
    return BadParam(
        name, "must be a whole number from " + std::to_string(lo) + " to " + std::to_string(hi),
        "应为 " + std::to_string(lo) + " 至 " + std::to_string(hi) + " 之间的整数");
  return v;
}

// The clock of a read: now, or the end of the ?as_of day (CST).
Result<Instant> AsOf(const Context& ctx) {
  const std::string text = ctx.Query("as_of");
  if (text.empty()) return ctx.now;
  auto day = CivilDate::Parse(text);
  if (!day.ok()) return BadParam("as_of", "must be a date YYYY-MM-DD", "应为日期，格式 YYYY-MM-DD");
  constexpr int64_t kDay = 86'400'000'000LL, kCst = 8 * 3'600'000'000LL;
  return Instant{int64_t(day->days() + 1) * kDay - kCst - 1};
}

std::string CaseStream(const Context& ctx) { return "case/" + ctx.params.at("case_id"); }

Error NoSuchCase(const std::string& stream) {
  return MakeError(ErrorKind::kNotFound, "case.not_found", "no such case: " + stream,
                   "没有这个案件：" + stream, "case_id");
}

// The value `field` had in the payload of `e`, as text (enums by name).
std::string PayloadValue(const v1::Event& e, const std::string& field) {
  const auto* kind =
      v1::EventPayload::descriptor()->FindFieldByNumber(int(e.payload().kind_case()));
  if (kind == nullptr || kind->message_type() == nullptr) return {};
  const auto& msg = e.payload().GetReflection()->GetMessage(e.payload(), kind);
  const auto* f = msg.GetDescriptor()->FindFieldByName(field);
  if (f == nullptr || f->is_repeated()) return {};
  const auto* r = msg.GetReflection();
  switch (f->cpp_type()) {
    case google::protobuf::FieldDescriptor::CPPTYPE_ENUM:
      return r->GetEnum(msg, f)->name();
    case google::protobuf::FieldDescriptor::CPPTYPE_STRING:
      return r->GetString(msg, f);
    case google::protobuf::FieldDescriptor::CPPTYPE_INT64:
      return std::to_string(r->GetInt64(msg, f));
    default:
      return {};
  }
}

// Each correction of a timeline beside the value it replaced.
void AddCorrections(Timeline& t) {
  for (const auto& e : t.events()) {
    if (!e.payload().has_event_corrected()) continue;
    const auto& c = e.payload().event_corrected();
    auto* out = t.add_corrections();
    out->set_version(e.stream_version());
    out->set_corrects_version(c.corrected().stream_version());
    out->set_field(c.field());
    out->set_corrected_value(c.corrected_value());
    out->set_reason(c.reason());
    out->set_actor_id(e.actor().id());
    for (const auto& original : t.events()) {
      if (original.stream_version() != c.corrected().stream_version()) continue;
      if (c.field() == "occurred_on")  // the business day the step was recorded with
        out->set_original_value(
            CivilDate::Of(Instant::FromProto(original.occurred_at())).ToString());
      else if (c.field() == "matter_type" && original.payload().has_application_received())
        // the type the receipt counted under, typed or named by its text
        out->set_original_value(
            v1::MatterType_Name(domain::MatterTypeOf(original.payload().application_received())));
      else if (const auto* f = domain::FindCorrectableField(c.field()))
        out->set_original_value(
            PayloadValue(original, f->payload_field ? f->payload_field : f->name));
    }
  }
}

// Lawyers may read only the cases assigned to them; to anyone else a
// case they may not see looks like one that does not exist.
bool MayRead(const Principal& p, const v1::CaseSummary& s) {
  return p.role != v1::ROLE_LAWYER || s.lawyer_id() == p.actor_id;
}

// The timeline shows who did what; sealed personal data is left out (it is
// opened only through the personal-data route, which records the read).
void DropSealed(v1::Event& e) {
  ForEachPersonRef(*e.mutable_payload(), [](v1::PersonRef& p) { p.clear_sealed_personal(); });
}

template <typename Fn>
RouteHandler Read(App& app, Fn fn) {
  return [&app, fn](Context ctx, http::Reply reply) {
    const auto engine = app.views.Snapshot();
    reply(fn(ctx, engine->store()));
  };
}

// A read of one fiscal year, named by the path's {year}.
template <typename Fn>
RouteHandler ReadYear(App& app, Fn fn) {
  return Read(app, [fn](const Context& ctx, const projections::ViewStore& store) {
    auto year = IntParam(ctx, "year", 0, 2000, 2100);
    if (!year.ok()) return ErrorResponse(year.error());
    return fn(store, int(*year));
  });
}

http::Response Ok(const google::protobuf::Message& m) { return JsonResponse(bhttp::status::ok, m); }

Result<projections::CaseFilter> FilterOf(const Context& ctx) {
  projections::CaseFilter f;
  f.stage = ctx.Query("stage");
  f.lawyer_id = ctx.Query("lawyer");
  f.agency = ctx.Query("agency");
  f.received_from = ctx.Query("received_from");
  f.received_to = ctx.Query("received_to");
  f.overdue = ctx.Query("overdue");
  f.missing_step = ctx.Query("missing_step");
  for (const auto& [name, flag] :
       {std::pair{"late_entry", &f.late_entry}, std::pair{"corrected", &f.corrected},
        std::pair{"uncalendared", &f.uncalendared}}) {
    const auto v = ctx.Query(name);
    if (v.empty()) continue;
    if (v != "true" && v != "false")
      return BadParam(name, "must be true or false", "应为 true 或 false");
    *flag = v == "true";
  }
  for (const auto* name : {"received_from", "received_to"}) {
    const auto v = ctx.Query(name);
    if (!v.empty() && !CivilDate::Parse(v).ok())
      return BadParam(name, "must be a date YYYY-MM-DD", "应为日期，格式 YYYY-MM-DD");
  }
  if (ctx.principal && ctx.principal->role == v1::ROLE_LAWYER)
    f.lawyer_id = ctx.principal->actor_id;
  return f;
}

Result<CaseList> ListCases(const Context& ctx, const projections::ViewStore& store,
                           projections::CaseFilter f, const std::string& page_param = "page",
                           const std::string& limit_param = "limit") {
  auto limit = IntParam(ctx, limit_param, 50, 1, 500);
  if (!limit.ok()) return limit.error();
  auto now = AsOf(ctx);
  if (!now.ok()) return now.error();
  auto page = CaseQueries(store).List(f, ctx.Query(page_param), size_t(*limit), *now);
  if (!page.ok()) return page.error();
  CaseList out;
  for (auto& c : page->cases) *out.add_cases() = std::move(c);
  out.set_next_page(page->next_page);
  return out;
}

void AddCaseRoutes(Router& router, App& app) {
  router.Add({bhttp::verb::get, "/v1/cases", kCaseReaders,
              "案件列表（按阶段、超期、缺失环节、补录、律师、机构、日期筛选，分页） List cases",
              Read(app, [](const Context& ctx, const projections::ViewStore& store) {
                auto f = FilterOf(ctx);
                if (!f.ok()) return ErrorResponse(f.error());
                auto list = ListCases(ctx, store, *f);
                return list.ok() ? Ok(*list) : ErrorResponse(list.error());
              })});
  router.Add({bhttp::verb::get, "/v1/cases/{case_id}", kCaseReaders,
              "案件概要：阶段、法定时限、闭环环节 Case summary with deadlines and loop steps",
              Read(app, [](const Context& ctx, const projections::ViewStore& store) {
                auto now = AsOf(ctx);
                if (!now.ok()) return ErrorResponse(now.error());
                const auto stream = CaseStream(ctx);
                auto s = CaseQueries(store).Summary(stream, *now);
                if (!s.ok())
                  return ErrorResponse(s.error().kind == ErrorKind::kNotFound ? NoSuchCase(stream)
                                                                              : s.error());
                if (!MayRead(*ctx.principal, *s)) return ErrorResponse(NoSuchCase(stream));
                return Ok(*s);
              })});
  router.Add({bhttp::verb::get, "/v1/cases/{case_id}/timeline", kCaseReaders,
              "案件全过程记录（按顺序，含操作人、时间、哈希） Case timeline",
              Read(app, [](const Context& ctx, const projections::ViewStore& store) {
                const auto stream = CaseStream(ctx);
                CaseQueries q(store);
                auto s = q.Summary(stream, ctx.now);
                if (!s.ok() || !MayRead(*ctx.principal, *s))
                  return ErrorResponse(NoSuchCase(stream));
                Timeline t;
                t.set_stream_id(stream);
                for (auto& e : q.Timeline(stream)) {
                  DropSealed(e);
                  *t.add_events() = std::move(e);
                }
                AddCorrections(t);
                return Ok(t);
              })});
  router.Add({bhttp::verb::get, "/v1/cases/{case_id}/subsidies/{subsidy_id}/trace", kMoney,
              "补贴支付溯源：案件、监管证据、适用政策版本 Payment trace",
              Read(app, [](const Context& ctx, const projections::ViewStore& store) {
                auto t = LedgerQueries(store).Trace(CaseStream(ctx), ctx.params.at("subsidy_id"));
                return t.ok() ? Ok(*t) : ErrorResponse(t.error());
              })});
  router.Add({bhttp::verb::get, "/v1/streams/{kind}/{id}/timeline", kOversight,
              "任一记录流的全过程（律师、律所、经费、政策、服务） Timeline of any stream",
              Read(app, [](const Context& ctx, const projections::ViewStore& store) {
                const std::string stream = ctx.params.at("kind") + "/" + ctx.params.at("id");
                Timeline t;
                t.set_stream_id(stream);
                for (auto& e : CaseQueries(store).Timeline(stream)) {
                  DropSealed(e);
                  *t.add_events() = std::move(e);
                }
                if (t.events().empty())
                  return ErrorResponse(MakeError(ErrorKind::kNotFound, "stream.not_found",
                                                 "no such stream: " + stream,
                                                 "没有这个记录流：" + stream, "id"));
                return Ok(t);
              })});
}

void AddOpenVisits(const projections::ViewStore& store, SupervisionQueue& q) {
  for (const auto& v : ServiceQueries(store).OpenHomeVisits(q.as_of())) {
    auto* o = q.add_open_home_visits();
    o->set_service_id(v.service_id);
    o->set_requested_date(v.requested_date);
    o->set_reason(v.reason);
  }
}

void AddSupervisionRoutes(Router& router, App& app) {
  router.Add(
      {bhttp::verb::get,
       "/v1/supervision/queue",
       {kSupervisor, kAdmin},
       "监管待办：超期案件、缺失闭环环节、补录、更正、未载入节假日安排的期限、未完成的上门服务 "
       "What needs a supervisor's (or the admin's) action",
       Read(app, [](const Context& ctx, const projections::ViewStore& store) {
         auto now = AsOf(ctx);
         if (!now.ok()) return ErrorResponse(now.error());
         SupervisionQueue q;
         q.set_as_of(CivilDate::Of(*now).ToString());
         projections::CaseFilter overdue;
         overdue.overdue = ctx.Query("overdue", "any");
         auto a = ListCases(ctx, store, overdue, "overdue_page");
         if (!a.ok()) return ErrorResponse(a.error());
         *q.mutable_overdue() = std::move(*a);
         projections::CaseFilter missing;
         missing.missing_step = ctx.Query("missing_step", "any");
         auto b = ListCases(ctx, store, missing, "missing_page");
         if (!b.ok()) return ErrorResponse(b.error());
         *q.mutable_missing_steps() = std::move(*b);
         projections::CaseFilter late;
         late.late_entry = true;
         auto c = ListCases(ctx, store, late, "late_page");
         if (!c.ok()) return ErrorResponse(c.error());
         *q.mutable_late_entries() = std::move(*c);
         projections::CaseFilter corrected;
         corrected.corrected = true;
         auto d = ListCases(ctx, store, corrected, "corrected_page");
         if (!d.ok()) return ErrorResponse(d.error());
         *q.mutable_corrected() = std::move(*d);
         projections::CaseFilter uncalendared;
         uncalendared.uncalendared = true;
         auto u = ListCases(ctx, store, uncalendared, "uncalendared_page");
         if (!u.ok()) return ErrorResponse(u.error());
         std::set<int32_t> years;
         for (const auto& listed : u->cases())
           for (const auto& dl : listed.deadlines())
             if (dl.uncalendared_year() != 0 && dl.done_on().empty())
               years.insert(dl.uncalendared_year());
         for (int32_t y : years) q.add_missing_calendar_years(y);
         *q.mutable_uncalendared() = std::move(*u);
         AddOpenVisits(store, q);
         return Ok(q);
       })});
  router.Add({bhttp::verb::get,
              "/v1/home-visits/open",
              {kSupervisor, kAdmin, kIntake},
              "未完成的上门服务预约 Open home-visit appointments",
              Read(app, [](const Context& ctx, const projections::ViewStore& store) {
                auto now = AsOf(ctx);
                if (!now.ok()) return ErrorResponse(now.error());
                SupervisionQueue q;
                q.set_as_of(CivilDate::Of(*now).ToString());
                AddOpenVisits(store, q);
                return Ok(q);
              })});
}

Counts CountsOf(int year, const std::map<std::string, int64_t>& m) {
  Counts c;
  c.set_year(year);
  for (const auto& [k, v] : m) {
    auto* x = c.add_counts();
    x->set_key(k);
    x->set_value(v);
  }
  return c;
}

void AddAmounts(const std::map<std::string, int64_t>& fen,
                const std::map<std::string, int64_t>& count,
                google::protobuf::RepeatedPtrField<Amount>* out) {
  for (const auto& [k, v] : fen) {
    auto* a = out->Add();
    a->set_key(k);
    a->set_fen(v);
    if (auto it = count.find(k); it != count.end()) a->set_count(it->second);
  }
}

void AddMoneyRoutes(Router& router, App& app) {
  router.Add({bhttp::verb::get, "/v1/ledger/{year}", kMoney,
              "经费台账：预算、调整、已批准和已支付补贴、结余 Funding ledger of a fiscal year",
              ReadYear(app, [](const projections::ViewStore& store, int year) {
                const auto y = LedgerQueries(store).Ledger(year);
                Ledger l;
                l.set_year(y.year);
                for (const auto& [name, line] : y.lines) {
                  auto* x = l.add_lines();
                  x->set_line(name);
                  x->set_appropriated_fen(line.appropriated_fen);
                  x->set_adjusted_fen(line.adjusted_fen);
                  x->set_spent_fen(line.spent_fen);
                  int64_t approved = 0;
                  for (const auto& [k, v] : y.service_approved_fen)
                    if (k.starts_with(name + "/")) approved += v;
                  x->set_approved_fen(approved);
                  x->set_unpaid_fen(y.ServiceUnpaidAt(name, 0));
                }
                AddAmounts(y.approved_fen, y.approved_count, l.mutable_approved());
                AddAmounts(y.paid_fen, y.paid_count, l.mutable_paid());
                AddAmounts(y.paid_by_firm_fen, {}, l.mutable_paid_by_firm());
                l.set_total_approved_fen(y.TotalApproved());
                l.set_total_paid_fen(y.TotalPaid());
                l.set_case_subsidy_remaining_fen(y.CaseSubsidyRemaining());
                l.set_unpaid_fen(y.UnpaidAt(0));
                l.set_paid_for_earlier_years_fen(y.PaidForEarlierYears(0));
                for (const auto& [quarter, fen] : y.recovered_fen)
                  l.set_recovered_fen(l.recovered_fen() + fen);
                return Ok(l);
              })});
  router.Add({bhttp::verb::get, "/v1/payments/{year}", kMoney,
              "某年度全部补贴支付及其溯源 Payments of a fiscal year",
              ReadYear(app, [](const projections::ViewStore& store, int year) {
                Payments p;
                p.set_year(year);
                for (auto& t : LedgerQueries(store).Payments(year))
                  *p.add_payments() = std::move(t);
                return Ok(p);
              })});
  router.Add({bhttp::verb::get, "/v1/service-payments/{year}", kMoney,
              "某年度值班、咨询补贴的审批、支付及其溯源 Duty and consultation pay of a fiscal year",
              ReadYear(app, [](const projections::ViewStore& store, int year) {
                ServicePayments p;
                p.set_year(year);
                for (auto& t : LedgerQueries(store).ServicePayments(year))
                  *p.add_payments() = std::move(t);
                return Ok(p);
              })});
  router.Add({bhttp::verb::get, "/v1/green-channel/{year}", kOversight,
              "绿色通道时效：重点人群与其他申请人的等待天数（中位数、90%分位） Green-channel "
              "waiting times",
              ReadYear(app, [](const projections::ViewStore& store, int year) {
                GreenChannelReport r;
                r.set_year(year);
                r.set_note_zh(projections::kGreenChannelNoteZh);
                for (const auto& row : projections::GreenChannel(store, year)) {
                  auto* l = r.add_lines();
                  l->set_period(row.period);
                  l->set_group(row.group);
                  l->set_group_zh(projections::WaitGroupLabelZh(row.group));
                  for (auto [from, to] :
                       {std::pair{&row.to_decision, l->mutable_to_decision()},
                        std::pair{&row.to_assignment, l->mutable_to_assignment()}}) {
                    to->set_cases(from->cases);
                    to->set_median_days(from->median_days);
                    to->set_p90_days(from->p90_days);
                  }
                }
                return Ok(r);
              })});
  router.Add({bhttp::verb::get, "/v1/fairness/{year}", kOversight,
              "指派公平性：各律师案件数、轮流指派偏差、申请人选择与轮流 Assignment fairness",
              ReadYear(app, [](const projections::ViewStore& store, int year) {
                const auto r = LedgerQueries(store).Fairness(year);
                Fairness f;
                f.set_year(r.year);
                for (const auto& l : r.lawyers) {
                  auto* x = f.add_lawyers();
                  x->set_lawyer_id(l.lawyer_id);
                  x->set_cases(l.cases);
                  for (const auto& [k, v] : l.by_method) {
                    auto* c = x->add_by_method();
                    c->set_key(k);
                    c->set_value(v);
                  }
                  for (const auto& [k, v] : l.by_category) {
                    auto* c = x->add_by_category();
                    c->set_key(k);
                    c->set_value(v);
                  }
                }
                f.set_rotation(r.rotation);
                f.set_applicant_choice(r.applicant_choice);
                f.set_specialty_team(r.specialty_team);
                f.set_min_rotation(r.min_rotation);
                f.set_max_rotation(r.max_rotation);
                f.set_mean_rotation(r.mean_rotation);
                f.set_max_deviation(r.max_deviation);
                return Ok(f);
              })});
  router.Add({bhttp::verb::get, "/v1/notice-counters/{year}", kMoney,
              "公示统计口径（按季度、类别、重点人群、渠道） Public-notice counters",
              ReadYear(app, [](const projections::ViewStore& store, int year) {
                return Ok(CountsOf(year, LedgerQueries(store).NoticeCounts(year)));
              })});
  router.Add({bhttp::verb::get, "/v1/duty/{year}", kOversight,
              "值班律师服务次数与天数（按律师） Duty-lawyer services",
              ReadYear(app, [](const projections::ViewStore& store, int year) {
                return Ok(CountsOf(year, ServiceQueries(store).DutyByLawyer(year)));
              })});
}

// The parameters every proof names: ?partition=, the record (?offset=) or
// earlier tree size (?old_size=), and ?size= (default: the current size),
// with the root at that size filled in.
Result<Proof> ProofParams(const Context& ctx, App& app, const AuditQueries& q,
                          const std::string& what, int64_t lo) {
  auto partition = IntParam(ctx, "partition", -1, 0, app.log.partitions() - 1);
  if (!partition.ok()) return partition.error();
  auto value = IntParam(ctx, what, -1, lo, INT64_MAX);
  if (!value.ok()) return value.error();
  if (*partition < 0 || *value < 0)
    return BadParam("partition/" + what, "both are required", "须同时给出 partition 与 " + what);
  auto size = IntParam(ctx, "size", int64_t(q.Size(int32_t(*partition))), 1, INT64_MAX);
  if (!size.ok()) return size.error();
  auto root = q.Root(int32_t(*partition), uint64_t(*size));
  if (!root.ok()) return root.error();
  Proof p;
  p.set_partition(int32_t(*partition));
  if (what == "offset")
    p.set_offset(uint64_t(*value));
  else
    p.set_old_size(uint64_t(*value));
  p.set_size(uint64_t(*size));
  p.set_root(ToHex(*root));
  return p;
}

// The record among the first `size` of `partition` whose commit holds the
// event `event_id` (a scan: proofs of payments are rare requests).
Result<store::LogRecord> FindRecordOf(store::EventLog& log, int32_t partition, uint64_t size,
                                      const std::string& event_id) {
  for (int64_t from = 0; uint64_t(from) < size;) {
    auto records = log.Read(partition, from, std::min<uint64_t>(512, size - uint64_t(from)),
                            std::chrono::milliseconds(0));
    if (!records.ok()) return records.error();
    if (records->empty()) break;
    for (auto& r : *records) {
      if (uint64_t(r.position.offset) >= size) break;
      auto commit = store::DecodeCommit(r);
      if (!commit.ok()) continue;
      for (const auto& e : commit->events())
        if (e.event_id() == event_id) return std::move(r);
    }
    from = records->back().position.offset + 1;
  }
  return MakeError(ErrorKind::kNotFound, "audit.no_record",
                   "the payment is not within the first " + std::to_string(size) + " records",
                   "该支付不在前 " + std::to_string(size) + " 条日志记录之内", "size");
}

void AddAuditRoutes(Router& router, App& app) {
  const std::vector<v1::Role> auditors{kAuditor, kSupervisor, kAdmin};
  router.Add({bhttp::verb::get,
              "/v1/audit/checkpoint",
              {} /* public: hashes only */,
              "日志检查点：各分区树大小与 Merkle 根 Log checkpoint",
              Read(app, [&app](const Context&, const projections::ViewStore& store) {
                const auto cp = AuditQueries(store).Current(app.log.partitions());
                Checkpoint out;
                for (const auto& h : cp.partitions) {
                  auto* p = out.add_partitions();
                  p->set_partition(h.partition);
                  p->set_size(h.size);
                  p->set_root(ToHex(h.root));
                }
                out.set_root(ToHex(cp.root));
                out.set_size(cp.size());
                return Ok(out);
              })});
  router.Add({bhttp::verb::get, "/v1/audit/inclusion", auditors,
              "某条日志记录的包含证明 Inclusion proof of a record",
              Read(app, [&app](const Context& ctx, const projections::ViewStore& store) {
                AuditQueries q(store);
                auto p = ProofParams(ctx, app, q, "offset", 0);
                if (!p.ok()) return ErrorResponse(p.error());
                auto path = q.Inclusion(p->partition(), p->offset(), p->size());
                if (!path.ok()) return ErrorResponse(path.error());
                auto records = app.log.Read(p->partition(), int64_t(p->offset()), 1,
                                            std::chrono::milliseconds(0));
                if (!records.ok()) return ErrorResponse(records.error());
                if (records->empty())
                  return ErrorResponse(MakeError(ErrorKind::kNotFound, "audit.no_record",
                                                 "no record at that offset", "该位置没有日志记录",
                                                 "offset"));
                p->set_leaf_hash(ToHex(merkle::LeafHash(records->front().value)));
                for (const auto& h : *path) p->add_path(ToHex(h));
                return Ok(*p);
              })});
  router.Add(
      {bhttp::verb::get, "/v1/audit/payments/{case_id}/{subsidy_id}/inclusion", auditors,
       "某笔补贴支付所在日志记录及其包含证明（?size= 取公示的树大小） Inclusion proof of a payment",
       Read(app, [&app](const Context& ctx, const projections::ViewStore& store) {
         auto trace = LedgerQueries(store).Trace(CaseStream(ctx), ctx.params.at("subsidy_id"));
         if (!trace.ok()) return ErrorResponse(trace.error());
         if (trace->payment().event_id().empty())
           return ErrorResponse(MakeError(ErrorKind::kNotFound, "payment.not_paid",
                                          "the subsidy is not paid", "该补贴尚未支付",
                                          "subsidy_id"));
         AuditQueries q(store);
         const int32_t partition = store::PartitionOf(trace->case_id(), app.log.partitions());
         auto size = IntParam(ctx, "size", int64_t(q.Size(partition)), 1, INT64_MAX);
         if (!size.ok()) return ErrorResponse(size.error());
         auto found =
             FindRecordOf(app.log, partition, uint64_t(*size), trace->payment().event_id());
         if (!found.ok()) return ErrorResponse(found.error());
         auto path = q.Inclusion(partition, uint64_t(found->position.offset), uint64_t(*size));
         if (!path.ok()) return ErrorResponse(path.error());
         auto root = q.Root(partition, uint64_t(*size));
         if (!root.ok()) return ErrorResponse(root.error());
         Proof p;
         p.set_partition(partition);
         p.set_offset(uint64_t(found->position.offset));
         p.set_size(uint64_t(*size));
         p.set_root(ToHex(*root));
         p.set_leaf_hash(ToHex(merkle::LeafHash(found->value)));
         for (const auto& h : *path) p.add_path(ToHex(h));
         p.set_record(found->value);
         return Ok(p);
       })});
  router.Add({bhttp::verb::get,
              "/v1/audit/consistency",
              {} /* public: hashes only */,
              "两个检查点之间的一致性证明 Consistency proof between tree sizes",
              Read(app, [&app](const Context& ctx, const projections::ViewStore& store) {
                AuditQueries q(store);
                auto p = ProofParams(ctx, app, q, "old_size", 1);
                if (!p.ok()) return ErrorResponse(p.error());
                auto path = q.Consistency(p->partition(), p->old_size(), p->size());
                if (!path.ok()) return ErrorResponse(path.error());
                for (const auto& h : *path) p->add_path(ToHex(h));
                return Ok(*p);
              })});
}

}  // namespace

void AddViewRoutes(Router& router, App& app) {
  AddCaseRoutes(router, app);
  AddSupervisionRoutes(router, app);
  AddMoneyRoutes(router, app);
  AddAuditRoutes(router, app);
}

}  // namespace aidtrail::api
