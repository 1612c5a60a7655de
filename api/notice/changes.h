// A notice re-published for the same period after new events: which
// figures changed since the previous notice, and how many records, events
// and corrections (EventCorrected) the log gained between the two
// checkpoints to explain them. The previous notice is untouched and stays
// verifiable against its own checkpoint.
#pragma once

#include "aidtrail/v1/notice.pb.h"
#include "events/store/event_log.h"

namespace aidtrail::api::notice {

// Fills notice.changes. Fails if the periods differ or the previous
// checkpoint is not a prefix-sized checkpoint of this log.
Status AddChanges(v1::PublicNotice& notice, const v1::PublicNotice& previous, store::EventLog& log);

}  // namespace aidtrail::api::notice
