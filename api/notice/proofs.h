// What an auditor checks against a published, signed notice, using proofs
// that a server supplies — and that a lying server may forge: that a
// payment's record is in the log the notice was computed from (inclusion),
// and that a later notice's log extends an earlier one's (consistency).
// Trust comes only from the signed checkpoints; every hash the server sends
// is recomputed or checked against them.
#pragma once

#include <string>
#include <vector>

#include "aidtrail/api/server.pb.h"
#include "aidtrail/v1/notice.pb.h"
#include "events/core/result.h"

namespace aidtrail::api::notice {

// `proof` is the server's answer to /v1/audit/payments/{case}/{subsidy}/
// inclusion?size=<the notice's size of that partition>. Checks that the
// record is the one the proof is about, that it holds the payment event
// `payment_event_id` of `case_stream`, and that it is included in the partition's tree whose
// root the notice signed. Errors (kCorruption) name what failed.
Status CheckPaymentInclusion(const v1::PublicNotice& notice, const Proof& proof,
                             const std::string& case_stream, const std::string& payment_event_id);

// `proofs` are the server's answers to /v1/audit/consistency for every
// partition, from `older`'s size to `newer`'s. Checks each against the two
// signed roots.
Status CheckConsistency(const v1::PublicNotice& older, const v1::PublicNotice& newer,
                        const std::vector<Proof>& proofs);

}  // namespace aidtrail::api::notice
