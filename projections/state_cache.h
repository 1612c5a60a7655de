// Folded states for queries, so that a read does not refold a case's
// timeline or the whole policy stream: each is folded once per version and
// shared by every request that asks for that version.
//
// Keys name the content exactly: the store's database (ViewStore::id), the
// stream and the version folded up to. A valid stream's events up to a
// version never change, so an entry never goes stale; the least recently
// used ones are forgotten beyond the capacity.
//
// Thread safety: every method may be called from any thread. Folding runs
// outside the lock, so two readers missing the same entry may both fold it
// (same result); the states handed out are immutable and shared.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>

#include "events/domain/case_state.h"
#include "events/domain/policy.h"
#include "projections/lru_cache.h"
#include "projections/view_store.h"

namespace aidtrail::projections {

class StateCache {
 public:
  explicit StateCache(size_t case_capacity) : cases_(case_capacity), policies_(4) {}
  // The cache every query of this process shares.
  static StateCache& Shared();

  // The policy stream folded up to its current version in `store`.
  std::shared_ptr<const domain::PolicyState> Policy(const ViewStore& store);
  // The case folded from its timeline up to `version`.
  std::shared_ptr<const domain::CaseState> Case(const ViewStore& store, const std::string& stream,
                                                uint64_t version);

 private:
  std::mutex mu_;
  LruCache<std::shared_ptr<const domain::CaseState>> cases_;
  LruCache<std::shared_ptr<const domain::PolicyState>> policies_;
};

}  // namespace aidtrail::projections
