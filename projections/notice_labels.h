// Chinese-first labels of the enum names the notice counters are keyed by.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace aidtrail::projections {

struct Label {
  std::string key;  // enum name, e.g. "CASE_CATEGORY_CIVIL"
  std::string zh;
  std::string en;
};

// Every value of a dimension in print order (the UNSPECIFIED value excluded).
const std::vector<Label>& CategoryLabels();
const std::vector<Label>& ChannelLabels();
const std::vector<Label>& KeyGroupLabels();
// Every matter type (events/domain/matters.h), and "unclassified" for
// applications recorded before the vocabulary.
const std::vector<Label>& MatterTypeLabels();
const std::vector<Label>& DutyStationLabels();
const std::vector<Label>& ConsultationChannelLabels();
const std::vector<Label>& BudgetLineLabels();
const std::vector<Label>& QualityGradeLabels();
const std::vector<Label>& CriminalStageLabels();

// The label of `key` in `labels`, or the key itself if it is not listed.
Label LabelOf(const std::vector<Label>& labels, const std::string& key);

}  // namespace aidtrail::projections
