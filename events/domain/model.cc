#include "events/domain/model.h"

#include <algorithm>
#include <charconv>

#include "events/domain/access.h"
#include "events/domain/case_decider.h"
#include "events/domain/commands.h"
#include "events/domain/entry_time.h"
#include "events/domain/streams.h"

namespace aidtrail::domain {

namespace {

bool IsShared(StreamKind k) {
  return k == StreamKind::kLawyer || k == StreamKind::kFirm || k == StreamKind::kBudget ||
         k == StreamKind::kPolicy;
}

}  // namespace

void Model::Apply(const v1::Event& event) {
  const std::string& id = event.stream_id();
  versions_[id] = event.stream_version();
  if (!IsShared(KindOfStream(id))) Touch(id);
  switch (KindOfStream(id)) {
    case StreamKind::kCase: {
      EvolveCase(cases_[id], event);
      const bool rotation = roster_.Apply(event);     // assignments drive the rotation
      const bool budget = budgets_.Apply(event);      // payments consume the budget
      const bool numbered = documents_.Apply(event);  // documents take the next number
      shared_changes_ += rotation || budget || numbered;
      break;
    }
    case StreamKind::kService:
      EvolveService(services_[id], event);
      shared_changes_ += budgets_.Apply(event);  // duty and consultation pay
      break;
    case StreamKind::kLawyer:
    case StreamKind::kFirm:
      shared_changes_ += roster_.Apply(event);
      break;
    case StreamKind::kBudget:
      shared_changes_ += budgets_.Apply(event);
      break;
    case StreamKind::kPolicy:
      policy_.Apply(event);
      ++shared_changes_;
      break;
    case StreamKind::kAccess:  // reads change no state a rule looks at
    case StreamKind::kUnknown:
      break;
  }
}

void Model::ApplyShared(const v1::Event& event) {
  const std::string& id = event.stream_id();
  switch (KindOfStream(id)) {
    case StreamKind::kCase:
      roster_.Apply(event);
      budgets_.Apply(event);
      documents_.Apply(event);
      break;
    case StreamKind::kService:
      budgets_.Apply(event);
      break;
    case StreamKind::kLawyer:
    case StreamKind::kFirm:
      versions_[id] = event.stream_version();
      roster_.Apply(event);
      break;
    case StreamKind::kBudget:
      versions_[id] = event.stream_version();
      budgets_.Apply(event);
      break;
    case StreamKind::kPolicy:
      versions_[id] = event.stream_version();
      policy_.Apply(event);
      break;
    default:
      break;
  }
}

void Model::ExportShared(v1::SharedStateSnapshot& out) const {
  roster_.Export(out);
  budgets_.Export(out);
  documents_.Export(out);
}

void Model::ImportShared(const v1::SharedStateSnapshot& in) {
  roster_.Import(in);
  budgets_.Import(in);
  documents_.Import(in);
}

bool Model::Resident(const std::string& stream_id) const { return versions_.count(stream_id) > 0; }

void Model::Load(const std::string& id, uint64_t version, const std::vector<v1::Event>& events) {
  const StreamKind kind = KindOfStream(id);
  if (kind == StreamKind::kCase) {
    CaseState& s = cases_[id];
    s = CaseState();
    for (const v1::Event& e : events) EvolveCase(s, e);
  } else if (kind == StreamKind::kService) {
    ServiceState& s = services_[id];
    s = ServiceState();
    for (const v1::Event& e : events) EvolveService(s, e);
  }
  versions_[id] = version;
  if (!IsShared(kind)) Touch(id);
}

void Model::Touch(const std::string& stream_id) {
  if (IsShared(KindOfStream(stream_id)) || !Resident(stream_id)) return;
  used_[stream_id] = ++tick_;
}

void Model::Evict(size_t keep, const std::function<bool(const std::string&)>& pinned) {
  if (used_.size() <= keep) return;
  std::vector<std::pair<uint64_t, const std::string*>> order;
  order.reserve(used_.size());
  for (const auto& [id, t] : used_)
    if (!pinned(id)) order.emplace_back(t, &id);
  const size_t drop = std::min(order.size(), used_.size() - keep);
  std::nth_element(order.begin(), order.begin() + ptrdiff_t(drop), order.end());
  std::vector<std::string> gone;
  gone.reserve(drop);
  for (size_t i = 0; i < drop; ++i) gone.push_back(*order[i].second);
  for (const std::string& id : gone) {
    cases_.erase(id);
    services_.erase(id);
    versions_.erase(id);
    used_.erase(id);
  }
}

Model::Savepoint Model::Save(const std::string& stream_id) const {
  Savepoint sp;
  sp.stream_id = stream_id;
  if (auto it = cases_.find(stream_id); it != cases_.end()) sp.case_state = it->second;
  if (auto it = services_.find(stream_id); it != services_.end()) sp.service_state = it->second;
  sp.version = Version(stream_id);
  sp.policy = policy_;
  sp.roster = roster_;
  sp.budgets = budgets_;
  sp.documents = documents_;
  return sp;
}

void Model::Restore(Savepoint sp) {
  if (sp.case_state)
    cases_[sp.stream_id] = std::move(*sp.case_state);
  else
    cases_.erase(sp.stream_id);
  if (sp.service_state)
    services_[sp.stream_id] = std::move(*sp.service_state);
  else
    services_.erase(sp.stream_id);
  if (sp.version) {
    versions_[sp.stream_id] = sp.version;
    Touch(sp.stream_id);
  } else {
    versions_.erase(sp.stream_id);
    used_.erase(sp.stream_id);
  }
  policy_ = std::move(sp.policy);
  roster_ = std::move(sp.roster);
  budgets_ = std::move(sp.budgets);
  documents_ = std::move(sp.documents);
}

uint64_t Model::Version(const std::string& stream_id) const {
  auto it = versions_.find(stream_id);
  return it == versions_.end() ? 0 : it->second;
}

const CaseState* Model::Case(const std::string& stream_id) const {
  auto it = cases_.find(stream_id);
  return it == cases_.end() ? nullptr : &it->second;
}

Result<Decision> Model::Decide(const v1::Command& c, Instant recorded_at) const {
  if (Status s = Authorize(c); !s) return s.error();
  auto entry = CheckEntryTime(c, recorded_at, policy_);
  if (!entry.ok()) return entry.error();
  auto d = DecideStream(c);
  if (d.ok()) {
    d->late_entry = entry->late_entry;
    d->migration = entry->migration;
  }
  return d;
}

Result<Decision> Model::DecideStream(const v1::Command& c) const {
  const std::string& id = c.stream_id();
  const uint64_t current = Version(id);
  if (c.has_expected_version() && c.expected_version() != current)
    return ConflictError("stream.version_conflict",
                         "the record changed since you loaded it (expected version " +
                             std::to_string(c.expected_version()) + ", now " +
                             std::to_string(current) + "); reload and try again",
                         "记录已被他人更新（您看到的是第" + std::to_string(c.expected_version()) +
                             "版，现为第" + std::to_string(current) + "版），请刷新后重试");
  switch (KindOfStream(id)) {
    case StreamKind::kCase: {
      static const CaseState kEmpty;
      auto it = cases_.find(id);
      return DecideCase(c, it == cases_.end() ? kEmpty : it->second,
                        CaseContext{policy_, roster_, budgets_, documents_});
    }
    case StreamKind::kService: {
      static const ServiceState kEmpty;
      auto it = services_.find(id);
      return DecideService(c, it == services_.end() ? kEmpty : it->second,
                           CaseContext{policy_, roster_, budgets_, documents_});
    }
    case StreamKind::kLawyer: {
      static const LawyerState kEmpty;
      const LawyerState* l = roster_.Find(std::string(StreamKey(id)));
      return DecideLawyer(c, l ? *l : kEmpty, roster_);
    }
    case StreamKind::kFirm:
      return DecideFirm(c, roster_.FirmExists(std::string(StreamKey(id))));
    case StreamKind::kBudget: {
      const std::string_view key = StreamKey(id);
      int year = 0;
      auto [ptr, ec] = std::from_chars(key.data(), key.data() + key.size(), year);
      if (ec != std::errc() || ptr != key.data() + key.size() || year < 2000 || year > 2100)
        return InputError("budget.stream",
                          "a budget stream is named budget/<fiscal year>, e.g. budget/2024",
                          "预算账户应为 budget/年度，例如 budget/2024", "stream_id");
      return DecideBudget(c, year, budgets_.Year(year));
    }
    case StreamKind::kPolicy:
      return DecidePolicy(c, policy_);
    case StreamKind::kAccess:
      return DecideAccess(c, Case("case/" + std::string(StreamKey(id))));
    case StreamKind::kUnknown:
      break;
  }
  return InputError("stream.unknown", "unknown stream '" + id + "'", "未知的记录类型“" + id + "”",
                    "stream_id");
}

std::vector<v1::Event> ToEvents(const v1::Command& c, const Decision& d, uint64_t current_version) {
  std::vector<v1::Event> out;
  out.reserve(d.events.size());
  for (size_t i = 0; i < d.events.size(); ++i) {
    v1::Event& e = out.emplace_back();
    e.set_event_id(c.command_id() + "/" + std::to_string(i));
    e.set_stream_id(c.stream_id());
    e.set_stream_version(current_version + i + 1);
    *e.mutable_occurred_at() = c.occurred_at();
    *e.mutable_actor() = c.actor();
    e.set_command_id(c.command_id());
    e.set_correlation_id(c.correlation_id());
    e.set_policy_version(d.policy_version);
    *e.mutable_payload() = d.events[i];
    if (d.late_entry) *e.mutable_late_entry() = *d.late_entry;
    if (d.migration) *e.mutable_migration() = *d.migration;
  }
  return out;
}

}  // namespace aidtrail::domain
