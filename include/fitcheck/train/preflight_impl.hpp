// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

// The definitions of train/preflight.hpp that no user type shapes: the findings' checks and
// sentences (config.hpp, FITCHECK_SEPARATE).

#include <fitcheck/train/preflight.hpp>

namespace fitcheck::detail::preflight {

FITCHECK_IMPL std::string column_name(std::span<const std::size_t> dims, std::size_t flat) {
  std::string out = "column " + std::to_string(flat);
  if (dims.size() > 1) {
    std::vector<std::size_t> index(dims.size());
    std::size_t rest = flat;
    for (std::size_t d = dims.size(); d-- > 0;) {
      index[d] = rest % dims[d];
      rest /= dims[d];
    }
    out += " (index " + format_shape(index) + ")";
  }
  return out;
}

FITCHECK_IMPL void report_findings(const scan_facts& facts, const Preflight& options,
                                   preflight_report& report) {
  const std::size_t n = report.samples_scanned;
  const std::size_t width = facts.columns.size();
  const auto columns = facts.columns;
  if (n == 0) {
    std::string why;
    if (facts.epoch.is_exact() && facts.epoch.count == 0)
      why =
          ": its size is 0 (an empty source, take(0), skip past the end, or batch with "
          "drop_remainder on too few samples)";
    else
      why = ": a filter may reject every sample, or the source is empty";
    throw data_error("the pipeline produced no samples" + why + " [B6]",
                     "check the source path and each filter/take/skip stage; a pipeline must "
                     "yield at least one batch per epoch");
  }

  const std::string scope =
      report.complete ? "" : " in the first " + std::to_string(n) + " samples scanned";
  auto raise = [&](const std::string& code, const std::string& problem, const std::string& fix) {
    report.warnings.push_back(code);
    if (options.level == check::error) throw warning_error(warning{code, problem, fix});
    warn(code, problem, fix);
  };

  // D1: values far from [-1, 1], or columns whose spreads differ by orders of magnitude.
  if (facts.check_scale) {
    float narrowest = std::numeric_limits<float>::infinity();
    std::size_t narrow_col = 0;
    for (std::size_t c = 0; c < width; ++c) {
      const float r = columns[c].range();
      if (r > 0 && r < narrowest) {
        narrowest = r;
        narrow_col = c;
      }
    }
    for (std::size_t c = 0; c < width; ++c) {
      const auto& col = columns[c];
      if (col.magnitude() > 10.0f || (col.range() > 100.0f * narrowest))
        report.unscaled_columns.push_back(c);
    }
    if (!report.unscaled_columns.empty()) {
      auto shown = report.unscaled_columns;
      std::stable_sort(shown.begin(), shown.end(), [&](std::size_t a, std::size_t b) {
        return columns[a].magnitude() > columns[b].magnitude();
      });
      std::string list;
      for (std::size_t i = 0; i < shown.size() && i < 5; ++i) {
        const auto& col = columns[shown[i]];
        list += (i == 0 ? "" : ", ") + column_name(facts.dims, shown[i]) + " in [" +
                format_number(col.min) + ", " + format_number(col.max) + "]";
      }
      if (shown.size() > 5) list += " and " + std::to_string(shown.size() - 5) + " more";
      const bool spread =
          narrowest < std::numeric_limits<float>::infinity() &&
          std::any_of(report.unscaled_columns.begin(), report.unscaled_columns.end(),
                      [&](std::size_t c) { return columns[c].range() > 100.0f * narrowest; });
      std::string narrow;
      if (spread)
        narrow = "; the narrowest, " + column_name(facts.dims, narrow_col) + ", spans only [" +
                 format_number(columns[narrow_col].min) + ", " +
                 format_number(columns[narrow_col].max) + "]";
      raise("D1",
            "the inputs look unscaled" + scope + ": " + list + narrow +
                " (values beyond +-10 or ranges more than 100x apart make gradients vanish or "
                "explode)",
            "put nn::Normalization first in the model and adapt it to the training data, or "
            "nn::Rescaling<std::ratio<1, S>> when all columns share a known range (e.g. S = "
            "255 for pixels)");
    }
  }

  // C5: a handful of distinct integers is how category codes look; Dense treats them as
  // ordered quantities.
  // Not when most columns are integers with many values (pixels, counts): there the
  // few-valued columns (image edges) are the same quantity, not codes.
  const auto many_valued = static_cast<std::size_t>(
      std::count_if(columns.begin(), columns.end(), [](const column_stats& col) {
        return col.integral && col.distinct == column_stats::distinct_cap;
      }));
  if (facts.check_categories && 2 * many_valued <= width) {
    std::string list;
    for (std::size_t c = 0; c < width; ++c) {
      const auto& col = columns[c];
      if (!col.integral || col.distinct < 3 || col.distinct > 10) continue;
      report.categorical_columns.push_back(c);
      if (report.categorical_columns.size() > 5) continue;
      auto values = col.values;
      std::sort(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(col.distinct));
      std::string shown;
      for (std::size_t i = 0; i < col.distinct; ++i)
        shown += (i == 0 ? "" : " ") + format_number(values[i]);
      list += (list.empty() ? "" : ", ") + column_name(facts.dims, c) + " {" + shown + "}";
    }
    if (report.categorical_columns.size() > 5)
      list += " and " + std::to_string(report.categorical_columns.size() - 5) + " more";
    if (!report.categorical_columns.empty())
      raise("C5",
            "feature columns hold only a few distinct integers, like category codes, and go "
            "straight into Dense as numbers" +
                scope + ": " + list,
            "encode each categorical column, e.g. nn::OneHot<K> or nn::CategoryEncoding<K> "
            "before Dense (K = the number of categories); if the numbers are real quantities, "
            "scale them and ignore this warning");
  }

  // I2: at least a tenth of the sequences end in two or more 0 tokens.
  if (facts.unmasked_recurrent != nullptr) {
    if (width >= 2 && facts.padded_samples * 10 >= n)
      raise("I2",
            std::to_string(facts.padded_samples) + " of " + std::to_string(n) +
                " samples end in padding (token 0, up to " + std::to_string(facts.longest_padding) +
                " of " + std::to_string(width) + " positions)" + scope + " and reach " +
                facts.unmasked_recurrent +
                " through an Embedding without mask_zero: it reads the padding as data, so its "
                "last step comes after the padding and holds little of the text",
            "Embedding<V, D, fc::mask_zero>: LSTM, GRU and Bidirectional then skip token 0 (if 0 "
            "is a real token, shift the tokens by one and keep 0 for padding)");
  }

  // A11 / A12: equal labels in long runs. Random order over the same class counts gives runs
  // of about ln(n) / ln(1 / p) (p the largest class share), so imbalanced but shuffled data
  // does not trigger; a run within 2 batches is harmless (order inside a batch is irrelevant).
  if (report.longest_label_run < n) {  // at least 2 distinct labels
    double random_run = 0;
    if (!facts.class_count.empty()) {
      const std::size_t top = *std::max_element(facts.class_count.begin(), facts.class_count.end());
      const double p = std::min(0.999, static_cast<double>(top) / static_cast<double>(n));
      random_run = std::log(static_cast<double>(n)) / std::log(1.0 / p);
    }
    const double threshold = std::max({2.0 * static_cast<double>(facts.batch_capacity),
                                       0.1 * static_cast<double>(n), 3.0 * random_run, 3.0});
    const std::size_t longest = report.longest_label_run;
    if (static_cast<double>(longest) > threshold) {
      const std::string n_text = facts.size ? " (" + std::to_string(*facts.size) + ")" : "";
      if (facts.randomized) {
        // check::error still throws: the stage's warning did not stop anything.
        if (options.level == check::error || !facts.a11_said)
          raise("A11",
                "labels still arrive in runs of up to " + std::to_string(longest) +
                    " equal values after the pipeline's shuffle" + scope +
                    ": the shuffle buffer cannot mix classes, so batches stay single-class",
                "shuffle(n) before batch with a buffer as large as the data set" + n_text);
      } else {
        raise("A12",
              "labels arrive in runs of up to " + std::to_string(longest) +
                  " equal values (sorted by label?) and the pipeline has no shuffle" + scope,
              "add shuffle(n) before batch, n >= the data set size" + n_text);
      }
    }
  }
}

}  // namespace fitcheck::detail::preflight
