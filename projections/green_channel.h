// The green channel, measured (绿色通道): how long key groups wait against
// everyone else, from application to decision and from decision to
// assignment, per month, quarter and year. Read from the stored case
// summaries (no refold), so a corrected business day is already in them.
//
// Only applications count (a notified defence has neither review nor a key
// group's choice of channel). A wait belongs to the period of the step that
// ends it; a lawyer assigned before the decision (aid first) waited 0 days.
// Waits are whole calendar days between business days.
//
// Thread safety: reads a ViewStore snapshot; no state of its own.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "projections/view_store.h"

namespace aidtrail::projections {

struct WaitStats {
  int64_t cases = 0;
  int median_days = 0;  // nearest-rank quantiles, 0 when there are no cases
  int p90_days = 0;
};

// Groups: "priority" (any key group), "others", and each key group by its
// enum name ("KEY_GROUP_ELDERLY", ...). Periods: "2024", "2024-Q1", "2024-03".
struct GreenChannelRow {
  std::string period;
  std::string group;
  WaitStats to_decision;
  WaitStats to_assignment;
};

// Every period of `year` (year, quarters, months) and every group with at
// least one case, in that order; empty when nothing was decided that year.
std::vector<GreenChannelRow> GreenChannel(const ViewStore& store, int year);

// "重点人群（绿色通道）", "其他申请人", or the key group's label.
std::string WaitGroupLabelZh(const std::string& group);

// How the figures are counted, for the people who read them.
inline constexpr char kGreenChannelNoteZh[] =
    "等待天数按自然日计：受理至审查决定、决定至指派；仅统计依申请案件；先行援助的指派等待计为0日；"
    "中位数和90%分位数按最近秩法计算。";

// The nearest-rank quantile q (0 < q <= 1) of `days`, sorted in place.
int Quantile(std::vector<int>& days, double q);

}  // namespace aidtrail::projections
