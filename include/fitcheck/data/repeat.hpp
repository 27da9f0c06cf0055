// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

// In: a dataset.  Out: its passes, one after another: forever (`repeat()`) or `count` times
// (`repeat(count)`). Each pass opens the source again, so shuffles reshuffle.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <utility>

#include <fitcheck/data/dataset.hpp>
#include <fitcheck/data/pipe.hpp>
#include <fitcheck/data/rules.hpp>

namespace fitcheck::data {

enum class repeat_mode : std::uint8_t { forever, counted };

/// The stage of repeat(): the source's passes, `count` times or forever.
template <dataset Source, repeat_mode Mode = repeat_mode::forever>
class Repeat : public dataset_interface<Repeat<Source, Mode>> {
public:
  /// What one pass yields, element by element: a sample (Example) or a batch (BatchData).
  using element_type = element_t<Source>;
  /// The element count as far as the type tells it: the ordering rules and fit check it at compile
  /// time.
  static constexpr Cardinality static_cardinality =
      Mode == repeat_mode::forever ? Source::static_cardinality.repeat()
                                   : Source::static_cardinality.repeat(2).erase_count();
  /// What the stages up to this one do, for the ordering rules (data/rules.hpp).
  static constexpr pipeline_traits traits = [] {
    auto t = Source::traits;
    t.repeated = true;
    t.cached = false;  // a repeat after cache lets every pass complete it
    return t;
  }();

  /// Repeats `source` forever.
  explicit Repeat(Source source)
    requires(Mode == repeat_mode::forever)
      : source_(std::move(source)) {
    rules::check_after_prefetch<Source>("repeat");
  }
  /// Repeats `source` `count` times.
  Repeat(Source source, std::size_t count)
    requires(Mode == repeat_mode::counted)
      : source_(std::move(source)), count_(count) {
    rules::check_after_prefetch<Source>("repeat");
  }

  /// The element count over all passes (repeat included), as far as it is known at run time.
  [[nodiscard]] Cardinality cardinality() const {
    const Cardinality c = source_.cardinality();
    return Mode == repeat_mode::forever ? c.repeat() : c.repeat(count_);
  }
  /// One pass of the source: what a user means by "an epoch" of a repeated pipeline.
  [[nodiscard]] Cardinality epoch_cardinality() const { return source_.epoch_cardinality(); }
  /// An element with its buffers sized, for a pass to fill.
  [[nodiscard]] element_type make_element() const { return source_.make_element(); }
  /// The stage upstream (read-only), so checks can walk the pipeline.
  [[nodiscard]] const Source& source() const noexcept { return source_; }

  class cursor {
  public:
    explicit cursor(Repeat& r) : r_(&r) {
      if (r_->passes_left() > 0) source_.emplace(r_->source_.open());
    }
    bool next(element_type& out) {
      while (source_) {
        if (source_->next(out)) {
          yielded_in_pass_ = true;
          return true;
        }
        ++passes_;
        // A pass that yields nothing would loop forever: an empty source stays empty.
        if (!yielded_in_pass_ || passes_ >= r_->passes_left()) {
          source_.reset();
          return false;
        }
        yielded_in_pass_ = false;
        source_.emplace(r_->source_.open());
      }
      return false;
    }

  private:
    Repeat* r_;
    std::optional<cursor_t<Source>> source_;
    std::size_t passes_ = 0;
    bool yielded_in_pass_ = false;
  };
  /// Starts a pass: a cursor that fills one element per call.
  [[nodiscard]] cursor open() { return cursor(*this); }

private:
  std::size_t passes_left() const noexcept {
    return Mode == repeat_mode::forever ? static_cast<std::size_t>(-1) : count_;
  }

  Source source_;
  std::size_t count_ = 0;
};

namespace detail {
struct repeat_fn {
  auto operator()() const {
    return make_stage_closure([]<dataset S>(S source) { return Repeat<S>(std::move(source)); });
  }
  auto operator()(std::size_t count) const {
    return make_stage_closure([count]<dataset S>(S source) {
      return Repeat<S, repeat_mode::counted>(std::move(source), count);
    });
  }
};
}  // namespace detail

/// `repeat()`: forever (the pipeline becomes infinite: fit needs StepsPerEpoch);
/// `repeat(n)`: n passes.
inline constexpr detail::repeat_fn repeat{};

}  // namespace fitcheck::data
