#include "projections/supervision_index.h"

#include "events/domain/streams.h"
#include "projections/case_views.h"
#include "projections/state_cache.h"

namespace aidtrail::projections {
namespace {

// Few databases are read at once (one per data directory); tests open many.
constexpr size_t kMaxMemos = 4;
// Visiting runs outside the lock, on candidates taken in slices.
constexpr size_t kSlice = 64;

}  // namespace

SupervisionIndex& SupervisionIndex::Shared() {
  static SupervisionIndex index;
  return index;
}

void SupervisionIndex::Put(Memo& memo, const ViewStore& store, const std::string& stream,
                           const std::string& bytes, const domain::PolicyState& policy,
                           Instant now) {
  if (auto old = memo.keys.find(stream); old != memo.keys.end()) {
    memo.cases.erase(old->second);
    memo.keys.erase(old);
  }
  v1::CaseSummary s;
  if (!s.ParseFromString(bytes)) return;
  const std::string key = ReceivedKey(s);
  Evaluate(s, *StateCache::Shared().Case(store, stream, s.version()), policy, now);
  memo.cases[key] = Entry{stream, s.priority(), AttentionOf(s)};
  memo.keys[stream] = key;
}

void SupervisionIndex::Refresh(const ViewStore& store, Memo& memo, int32_t day, Instant now) {
  const auto policy = StateCache::Shared().Policy(store);
  std::vector<std::string> changed;
  const bool complete = store.ChangedSince(&memo.seq, &changed);
  if (memo.day == day && memo.policy == policy->version() && complete) {
    for (const auto& stream : changed) {
      if (domain::KindOfStream(stream) != domain::StreamKind::kCase) continue;
      if (const auto bytes = store.Get(kCases, stream))
        Put(memo, store, stream, *bytes, *policy, now);
    }
    return;
  }
  // Everything again; the journal was read first, so whatever changes
  // during the scan is evaluated again next time.
  memo.cases.clear();
  memo.keys.clear();
  memo.day = day;
  memo.policy = policy->version();
  store.Scan(kCases, "", [&](const std::string& stream, const std::string& bytes) {
    Put(memo, store, stream, bytes, *policy, now);
    return true;
  });
}

bool SupervisionIndex::Walk(
    const ViewStore& store, const CaseFilter& filter, Instant now, bool priority,
    const std::string& start_after,
    const std::function<bool(const std::string&, const std::string&)>& visit) {
  const int32_t day = CivilDate::Of(now).days();
  std::string after = start_after;
  for (bool refreshed = false;; refreshed = true) {
    std::vector<std::pair<std::string, std::string>> slice;
    {
      std::lock_guard lock(mu_);
      auto it = memos_.find(store.id());
      if (it == memos_.end()) {
        if (memos_.size() >= kMaxMemos) memos_.erase(memos_.begin());
        it = memos_.emplace(store.id(), Memo{}).first;
      }
      Memo& memo = it->second;
      if (day < memo.day) return false;
      if (!refreshed) Refresh(store, memo, day, now);
      for (auto c = after.empty() ? memo.cases.begin() : memo.cases.upper_bound(after);
           c != memo.cases.end() && slice.size() < kSlice; ++c)
        if (c->second.priority == priority && Wanted(filter, c->second.attention))
          slice.emplace_back(c->first, c->second.stream);
    }
    for (const auto& [key, stream] : slice)
      if (!visit(key, stream)) return true;
    if (slice.size() < kSlice) return true;
    after = slice.back().first;
  }
}

}  // namespace aidtrail::projections
