// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

#include <fitcheck/config.hpp>

#include <cstddef>
#include <string>
#include <string_view>

#include <fitcheck/core/cardinality.hpp>
#include <fitcheck/core/error.hpp>
#include <fitcheck/core/warnings.hpp>
#include <fitcheck/data/dataset.hpp>

// Every pipeline ordering rule, once (docs/pitfalls.md, section A). A stage calls the rule for the
// source it is built on; the rule names what is wrong and what to write. Compile-time rules are
// consteval functions templated on the offending source, so its type appears in the diagnostic
// next to the sentence, and they return true so the user sees one error, not a cascade.

namespace fitcheck::data::rules {

/// A5, A6: `shuffle` after `batch` shuffles whole batches; after `repeat` it blurs epochs.
/// The named opt-outs say so in the code: `shuffle_batches(n)` (which needs batches) and
/// `shuffle_across_epochs(n)`.
template <class Source, bool BatchesOnPurpose, bool AcrossEpochsOnPurpose>
consteval bool shuffle_order() {
  constexpr pipeline_traits t = Source::traits;
  if constexpr (BatchesOnPurpose && !t.batched) {
    static_assert(t.batched,
                  "shuffle_batches on data that is not batched. Fix: write shuffle(n) to shuffle "
                  "samples, or batch first if you mean to shuffle whole batches");
  } else if constexpr (t.batched && t.repeated && !BatchesOnPurpose && !AcrossEpochsOnPurpose) {
    static_assert(!t.batched,
                  "shuffle after batch and repeat: whole batches would be shuffled across epochs, "
                  "so batch contents never change and epochs blur [A5], [A6]. Fix: shuffle "
                  "first: source | shuffle(n) | repeat() | batch<N>(), i.e. "
                  "Batch<Repeat<Shuffle<Source>>, N>");
  } else if constexpr (t.batched && !BatchesOnPurpose) {
    static_assert(!t.batched,
                  "shuffle after batch: whole batches are shuffled, but the samples inside each "
                  "batch never change; with data sorted by label every batch stays one class "
                  "[A5]. Fix: shuffle before batch: source | shuffle(n) | batch<N>(); "
                  "to shuffle whole batches on purpose (bucketing), write shuffle_batches(n)");
  } else if constexpr (t.repeated && !AcrossEpochsOnPurpose) {
    static_assert(!t.repeated,
                  "shuffle after repeat: epochs blur, so a sample can appear twice before another "
                  "appears once [A6]. Fix: shuffle before repeat keeps epochs whole: "
                  "source | shuffle(n) | repeat(); to mix across epochs on purpose, write "
                  "shuffle_across_epochs(n)");
  }
  return true;
}

/// A7: caching after a shuffle freezes the first epoch's order into the cache.
template <class Source>
consteval bool cache_order() {
  static_assert(!Source::traits.randomized,
                "cache after shuffle (or sample_from_datasets, also random): the first epoch's "
                "order is frozen into the cache, so every epoch repeats it [A7]. Fix: cache "
                "before shuffle: source | cache() | shuffle(n)");
  static_assert(!Source::traits.augmented,
                "cache after augment: the first epoch's random transformations are frozen into "
                "the cache, so every epoch sees the same augmented images [G5]. Fix: cache "
                "before augment: source | cache() | augment({...})");
  return true;
}

/// A13: sharding after a random stage gives workers overlapping or missing samples.
template <class Source>
consteval bool shard_order() {
  static_assert(!Source::traits.randomized,
                "shard after shuffle (or sample_from_datasets, also random): each worker shuffles "
                "differently, so workers see overlapping or missing samples [A13]. Fix: shard "
                "first: source | shard(num_workers, worker_index) | shuffle(n)");
  return true;
}

/// A14: `take` after `cache` (with no repeat between) never completes the cache.
template <class Source>
consteval bool take_order() {
  static_assert(!Source::traits.cached,
                "take after cache: the cache is never completed, so every epoch reads the source "
                "again [A14]. Fix: take before cache: source | take(k) | cache()");
  return true;
}

/// A15: in `concatenate(a, b, ...)` a part after an infinite one is never reached.
template <class Part, class Next>
consteval bool concatenate_order() {
  static_assert(!Part::static_cardinality.is_infinite(),
                "concatenate after an infinite pipeline: a part that never ends (repeat() with "
                "no count) is followed by another, which is never reached [A15]. Fix: repeat "
                "after concatenating: concatenate(a, b) | repeat(), or repeat(n) with a count");
  return true;
}

/// A16: concatenating or sampling batches mixes whole batches: each batch holds one source's
/// samples (and a concatenation leaves a partial batch in the middle).
template <class Source, bool Sampling>
consteval bool mix_samples() {
  if constexpr (Sampling) {
    static_assert(!Source::traits.batched,
                  "sample_from_datasets over batches picks whole batches, so every batch holds "
                  "one source's samples and the classes never mix inside a batch [A16]. Fix: "
                  "sample the unbatched pipelines, then batch: "
                  "sample_from_datasets(weights, a, b) | batch<N>()");
  } else {
    static_assert(!Source::traits.batched,
                  "concatenate over batches: each batch holds one part's samples, and the first "
                  "part's partial last batch lands in the middle of the data [A16]. Fix: "
                  "concatenate the unbatched pipelines, then batch: concatenate(a, b) | "
                  "batch<N>()");
  }
  return true;
}

/// Batches of batches are not a fitcheck pipeline.
template <class Source>
consteval bool batch_once() {
  static_assert(!Source::traits.batched,
                "batch after batch: the data is already batched. Fix: batch once, with the "
                "batch size you want");
  return true;
}

/// Per-sample stages (map, filter) run before batch.
template <class Source>
consteval bool per_sample_stage() {
  static_assert(!Source::traits.batched,
                "map/filter after batch: these stages work on single samples. Fix: place "
                "map(f) and filter(pred) before batch<N>()");
  return true;
}

/// A9 when the sizes are static: drop_remainder with a batch larger than the data leaves no
/// batch at all. `BatchSize == 0` stands for a size chosen at run time (checked then).
template <class Source, std::size_t BatchSize, bool DropRemainder, bool RuntimeSize>
consteval bool batch_size_fits() {
  if constexpr (!RuntimeSize) {
    static_assert(BatchSize >= 1, "batch<0>: a batch must hold at least one sample. Fix: write "
                                  "batch<N>() with N >= 1");
    constexpr Cardinality c = Source::static_cardinality;
    static_assert(!(DropRemainder && c.is_exact() && c.count < BatchSize),
                  "batch<N>(drop_remainder) on a data set smaller than N yields no batch at all, "
                  "so nothing trains [A9]. Fix: a batch size no larger than the data "
                  "set, or keep the partial batch (batch<N>() without drop_remainder)");
  }
  return true;
}

/// A9 and A10 when the data set size is known only at run time.
void check_batch_size(const Cardinality& source, std::size_t batch_size,
                      bool drop_remainder);

/// A8: a stage after `prefetch` makes the prefetch work on single elements.
template <class Source>
void check_after_prefetch(std::string_view stage) {
  if constexpr (Source::traits.prefetched)
    warn("A8",
         std::string(stage) + " after prefetch: the prefetch buffers single elements, not what "
                              "the model consumes",
         "make prefetch(n) the last stage");
}

/// A11: a shuffle buffer shorter than the runs of equal labels leaves batches single-class.
/// Returns whether it warned, so fit's data scan does not say the same thing again.
template <class Source>
bool check_shuffle_buffer(const Source& source, std::size_t buffer) {
  if constexpr (requires { source.longest_label_run(); }) {
    const std::size_t run = source.longest_label_run();
    const Cardinality n = source.cardinality();
    if (n.is_exact() && buffer < n.count && run > buffer && run < n.count) {  // >1 class
      warn("A11",
           "shuffle(" + std::to_string(buffer) + ") on " + std::to_string(n.count) +
               " samples whose labels come in runs of up to " + std::to_string(run) +
               " equal values (sorted by label): the buffer cannot mix classes, so batches "
               "stay single-class",
           "shuffle(" + std::to_string(n.count) + ") with a buffer as large as the data set");
      return true;
    }
  }
  return false;
}

}  // namespace fitcheck::data::rules

#if !FITCHECK_SEPARATE
#include <fitcheck/data/rules_impl.hpp>
#endif
