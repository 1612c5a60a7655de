#include "projections/state_cache.h"

#include "projections/case_views.h"
#include "projections/engine.h"

namespace aidtrail::projections {
namespace {

std::string KeyOf(const ViewStore& store, const std::string& stream, uint64_t version) {
  return BigEndian64(store.id()) + BigEndian64(version) + stream;
}

}  // namespace

StateCache& StateCache::Shared() {
  // About 20 k cases: a district's open caseload and then some, a few
  // tens of MiB.
  static StateCache cache(20'000);
  return cache;
}

std::shared_ptr<const domain::PolicyState> StateCache::Policy(const ViewStore& store) {
  const uint64_t version = StreamVersion(store, domain::kPolicyStream);
  const std::string key = KeyOf(store, domain::kPolicyStream, version);
  {
    std::lock_guard lock(mu_);
    if (auto* hit = policies_.Find(key)) return *hit;
  }
  auto folded = std::make_shared<domain::PolicyState>();
  FoldTimeline(store, domain::kPolicyStream, [&](const v1::Event& e) {
    if (e.stream_version() <= version) folded->Apply(e);
  });
  std::lock_guard lock(mu_);
  if (auto* hit = policies_.Find(key)) return *hit;
  policies_.Insert(key) = folded;
  return folded;
}

std::shared_ptr<const domain::CaseState> StateCache::Case(const ViewStore& store,
                                                          const std::string& stream,
                                                          uint64_t version) {
  const std::string key = KeyOf(store, stream, version);
  {
    std::lock_guard lock(mu_);
    if (auto* hit = cases_.Find(key)) return *hit;
  }
  auto folded = std::make_shared<domain::CaseState>();
  FoldTimeline(store, stream, [&](const v1::Event& e) {
    if (e.stream_version() <= version) domain::EvolveCase(*folded, e);
  });
  std::lock_guard lock(mu_);
  if (auto* hit = cases_.Find(key)) return *hit;
  cases_.Insert(key) = folded;
  return folded;
}

}  // namespace aidtrail::projections
