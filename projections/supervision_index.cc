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

void SupervisionIndex::Put(Memo& memo, const std::string& stream, v1::CaseSummary s,
                           const domain::CaseState& state, const domain::PolicyState& policy,
                           Instant now) {
  if (auto old = memo.keys.find(stream); old != memo.keys.end()) {
    memo.cases.erase(old->second);
    memo.keys.erase(old);
  }
  const std::string key = ReceivedKey(s);
  Evaluate(s, state, policy, now);
  memo.cases[key] = Entry{stream, s.priority(), AttentionOf(s)};
  memo.keys[stream] = key;
}

void SupervisionIndex::Rebuild(const ViewStore& store, Memo& memo,
                               const domain::PolicyState& policy, Instant now) {
  memo.cases.clear();
  memo.keys.clear();
  // Cases' timelines lie together in key order: one pass folds them all,
  // instead of a seek and a fold per case.
  const std::string prefix = domain::StreamPrefix(domain::StreamKind::kCase);
  std::string current;
  domain::CaseState state;
  auto finish = [&] {
    v1::CaseSummary s;
    const auto bytes = current.empty() ? std::nullopt : store.Get(kCases, current);
    if (!bytes || !s.ParseFromString(*bytes)) return;
    // The summary may already hold a commit the pass started before.
    if (s.version() == state.version)
      Put(memo, current, std::move(s), state, policy, now);
    else
      Put(memo, current, s, *StateCache::Shared().Case(store, current, s.version()), policy, now);
  };
  store.Scan(kTimeline, prefix, [&](const std::string& key, const std::string& value) {
    const std::string stream = key.substr(0, key.find('\0'));
    if (stream != current) {
      finish();
      current = stream;
      state = domain::CaseState{};
    }
    v1::Event e;
    if (e.ParseFromString(value)) domain::EvolveCase(state, e);
    return true;
  });
  finish();
}

SupervisionIndex::Memo* SupervisionIndex::Current(const ViewStore& store, Instant now) {
  const int32_t day = CivilDate::Of(now).days();
  auto it = memos_.find(store.id());
  if (it == memos_.end()) {
    if (memos_.size() >= kMaxMemos) memos_.erase(memos_.begin());
    it = memos_.emplace(store.id(), Memo{}).first;
  }
  Memo& memo = it->second;
  if (day < memo.day) return nullptr;
  const auto policy = StateCache::Shared().Policy(store);
  std::vector<std::string> changed;
  const bool complete = store.ChangedSince(&memo.seq, &changed);
  if (memo.day == day && memo.policy == policy->version() && complete) {
    for (const auto& stream : changed) {
      if (domain::KindOfStream(stream) != domain::StreamKind::kCase) continue;
      v1::CaseSummary s;
      if (const auto bytes = store.Get(kCases, stream); bytes && s.ParseFromString(*bytes)) {
        const auto state = StateCache::Shared().Case(store, stream, s.version());
        Put(memo, stream, std::move(s), *state, *policy, now);
      }
    }
    return &memo;
  }
  // Everything again; the journal was read first, so whatever changes
  // during the pass is evaluated again next time.
  memo.day = day;
  memo.policy = policy->version();
  Rebuild(store, memo, *policy, now);
  return &memo;
}

bool SupervisionIndex::Tally(const ViewStore& store, Instant now,
                             const std::function<void(const Attention&)>& fn) {
  std::lock_guard lock(mu_);
  Memo* memo = Current(store, now);
  if (memo == nullptr) return false;
  for (const auto& [key, entry] : memo->cases) fn(entry.attention);
  return true;
}

bool SupervisionIndex::Walk(
    const ViewStore& store, const CaseFilter& filter, Instant now, bool priority,
    const std::string& start_after,
    const std::function<bool(const std::string&, const std::string&)>& visit) {
  std::string after = start_after;
  for (bool refreshed = false;; refreshed = true) {
    std::vector<std::pair<std::string, std::string>> slice;
    {
      std::lock_guard lock(mu_);
      Memo* memo = nullptr;
      if (!refreshed) {
        memo = Current(store, now);
        if (memo == nullptr) return false;
      } else {
        auto it = memos_.find(store.id());
        if (it == memos_.end()) return true;  // forgotten meanwhile: end the walk here
        memo = &it->second;
      }
      for (auto c = after.empty() ? memo->cases.begin() : memo->cases.upper_bound(after);
           c != memo->cases.end() && slice.size() < kSlice; ++c)
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
