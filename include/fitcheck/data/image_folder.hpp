// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

// In: a folder with one sub-folder of images per class (Keras' image_dataset_from_directory,
// labels='inferred'). Out: Examples of Features<H, W, C> (pixels 0-255, resized) and the class
// of the sub-folder, in file order.
//
// Only the list of files is held in memory; each image is read and decoded when the pipeline
// asks for it (io/image.hpp), so memory does not grow with the folder [B3]. The source is
// random-access: shuffle(n) over it keeps a window of file indices, not of decoded images.

#include <algorithm>
#include <condition_variable>
#include <exception>
#include <functional>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <system_error>
#include <thread>
#include <utility>
#include <vector>

#include <fitcheck/core/arguments.hpp>
#include <fitcheck/core/cardinality.hpp>
#include <fitcheck/core/error.hpp>
#include <fitcheck/core/format.hpp>
#include <fitcheck/core/labels.hpp>
#include <fitcheck/core/random.hpp>
#include <fitcheck/core/shape.hpp>
#include <fitcheck/core/warnings.hpp>
#include <fitcheck/data/class_folder.hpp>
#include <fitcheck/data/dataset.hpp>
#include <fitcheck/data/element.hpp>
#include <fitcheck/io/file.hpp>
#include <fitcheck/io/image.hpp>

namespace fitcheck::data {

/// How `image_folder` reads a folder; every member has a default: write only what differs,
/// `{.validation_split = 0.2, .subset = fd::subset::training, .seed = fc::Seed{1337}}`.
struct image_folder_options {
  /// The classes in label order: names of sub-folders (all of them, or some). Default: every
  /// sub-folder not starting with '.', sorted, as Keras infers them.
  std::vector<std::string> class_names{};
  /// Labels given, not inferred (Keras' labels=[...]): one per image file found anywhere below
  /// the folder, in the sorted order of their paths. Empty: inferred from the sub-folders.
  std::vector<std::uint32_t> labels{};
  /// The fraction of the files held out for validation (0: none); needs `subset` and `seed`.
  double validation_split = 0.0;
  /// With validation_split: the training part or the validation part.
  data::subset subset = data::subset::all;
  /// Shuffles the file list once, before any split (the same seed splits the same way in the
  /// training and the validation source, disjointly). Without it the files keep their sorted
  /// order, class after class: put a shuffle stage after the source.
  std::optional<Seed> seed{};
  /// Centre-crop each image to the target's aspect ratio before resizing (no distortion).
  bool crop_to_aspect_ratio = false;
  /// Descend into symbolic links to folders.
  bool follow_links = false;
  /// Decode every file once when the source is made and leave out those that fail, with one
  /// warning counting them [G3]; by default a corrupt file is a data_error when it is read.
  bool skip_bad_files = false;
  /// Threads that read and decode images ahead of the pipeline (0: each image is decoded when
  /// read). Ahead means the next images of a pass, or the next draws of a shuffle over the
  /// source; the images and their order are the same either way.
  std::size_t workers = 0;
};

namespace detail {

// Keras' allow-list (image_dataset_from_directory's ALLOWLIST_FORMATS).
inline bool image_extension(const std::string& ext) {
  return ext == ".jpg" || ext == ".jpeg" || ext == ".png" || ext == ".bmp" || ext == ".gif";
}
inline constexpr folder_kind image_kind{"image_folder", "image file", "images",
                                        "train/cat/*.jpg, train/dog/*.jpg", image_extension};
using image_listing = folder_listing;

inline image_listing list_image_folder(const std::string& dir, const image_folder_options& o) {
  return list_class_folder(dir, o.class_names, o.labels, o.follow_links, image_kind);
}

/// The file's bytes into `bytes` (reused); a file that changed size while read is a data_error.
inline void read_whole(const std::string& path, std::vector<std::byte>& bytes) {
  const io::input_file file = io::input_file::open(path, "an image file");
  const std::size_t size = file.stamp().size;
  bytes.resize(size);
  const std::size_t got = file.read_at(bytes.data(), size, 0);
  if (got != size)
    throw data_error(path + ": the file shrank from " + std::to_string(size) + " to " +
                         std::to_string(got) + " bytes while it was read",
                     "do not rewrite images while a pipeline reads them");
}

/// Decodes images ahead on worker threads, into a fixed set of slots: `request(i)` queues image
/// i if a slot is free (or an image decoded but not taken can be evicted, oldest first),
/// `take(i, out)` waits for image i if it was requested and copies it out (rethrowing its
/// error), and returns false otherwise. One thread requests and takes; the workers decode.
class decode_pool {
public:
  using decode_fn = std::function<void(std::size_t index, float* out)>;

  decode_pool(std::size_t workers, std::size_t slots, std::size_t image_size,
              std::function<decode_fn()> make_decoder)
      : slots_(slots) {
    for (auto& s : slots_) s.pixels.resize(image_size);
    try {
      for (std::size_t w = 0; w < workers; ++w)
        threads_.emplace_back([this, decode = make_decoder()] { work(decode); });
    } catch (...) {
      stop_and_join();  // the threads already started, before the pool goes away
      throw;
    }
  }
  decode_pool(const decode_pool&) = delete;
  decode_pool& operator=(const decode_pool&) = delete;
  ~decode_pool() { stop_and_join(); }

  void request(std::size_t i) noexcept {
    try {
      std::lock_guard lock(mutex_);
      slot* free = nullptr;
      slot* oldest_ready = nullptr;
      for (auto& s : slots_) {
        if (s.now != phase::free && s.index == i) return;  // already there
        if (s.now == phase::free && free == nullptr) free = &s;
        if (s.now == phase::ready && (oldest_ready == nullptr || s.ticket < oldest_ready->ticket))
          oldest_ready = &s;
      }
      slot* use = free != nullptr ? free : oldest_ready;  // a stale image (a pass cut short)
      if (use == nullptr) return;  // all busy: read() decodes it itself
      use->index = i;
      use->now = phase::queued;
      use->ticket = ++tickets_;
      use->error = nullptr;
      queued_.notify_one();
    } catch (...) {
      // A hint: if it cannot be queued, the image is decoded when read.
    }
  }

  bool take(std::size_t i, float* out) {
    std::unique_lock lock(mutex_);
    slot* s = nullptr;
    for (auto& c : slots_)
      if (c.now != phase::free && c.index == i) s = &c;
    if (s == nullptr) return false;
    done_.wait(lock, [&] { return s->now == phase::ready || s->now == phase::failed; });
    std::exception_ptr error = std::exchange(s->error, nullptr);
    if (!error) std::copy(s->pixels.begin(), s->pixels.end(), out);
    s->now = phase::free;
    lock.unlock();
    if (error) std::rethrow_exception(error);
    return true;
  }

private:
  void stop_and_join() noexcept {
    {
      std::lock_guard lock(mutex_);
      stop_ = true;
    }
    queued_.notify_all();
    for (auto& t : threads_) t.join();
  }

  enum class phase : std::uint8_t { free, queued, running, ready, failed };
  struct slot {
    std::size_t index = 0;
    phase now = phase::free;
    std::uint64_t ticket = 0;  // request order: the oldest ready slot is evicted first
    std::vector<float> pixels;
    std::exception_ptr error;
  };

  void work(const decode_fn& decode) {
    std::unique_lock lock(mutex_);
    for (;;) {
      slot* s = nullptr;
      queued_.wait(lock, [&] {
        if (stop_) return true;
        for (auto& c : slots_)
          if (c.now == phase::queued && (s == nullptr || c.ticket < s->ticket)) s = &c;
        return s != nullptr;
      });
      if (stop_) return;
      s->now = phase::running;
      const std::size_t index = s->index;
      lock.unlock();
      std::exception_ptr error;
      try {
        decode(index, s->pixels.data());
      } catch (...) {
        error = std::current_exception();
      }
      lock.lock();
      s->error = std::move(error);
      s->now = s->error ? phase::failed : phase::ready;
      done_.notify_all();
    }
  }

  std::vector<slot> slots_;
  std::mutex mutex_;
  std::condition_variable queued_;  // workers: a slot was queued, or stop
  std::condition_variable done_;    // the taker: a slot finished
  std::uint64_t tickets_ = 0;
  bool stop_ = false;
  std::vector<std::thread> threads_;  // last: joined before the slots go away
};

template <label_kind L>
consteval bool folder_label_kind() {
  static_assert(is_single_class_label<L>,
                "image_folder: the label of an image is its sub-folder, one class per folder. "
                "Fix: declare ClassLabel<K> (Keras' label_mode='int'), OneHotLabel<K> "
                "('categorical') or BinaryLabel ('binary', two folders)");
  return true;
}

}  // namespace detail

/// Images from a folder of class sub-folders, decoded and resized to H x W with C channels as
/// the pipeline pulls them. See `image_folder`.
template <std::size_t H, std::size_t W, std::size_t C, label_kind L>
class ImageFolder : public dataset_interface<ImageFolder<H, W, C, L>> {
  static_assert(C == 1 || C == 3 || C == 4,
                "image_folder: Channels is 1 (grayscale), 3 (RGB) or 4 (RGBA). Fix: "
                "image_folder<H, W, 3, L> for colour images, <H, W, 1, L> for grayscale");
  static_assert(H > 0 && W > 0, "image_folder: the image size must be at least 1 x 1");
  static_assert(detail::folder_label_kind<L>());

public:
  /// One image: height, width, channels (Keras' channels_last).
  using features_type = Features<H, W, C>;
  /// What one pass yields: an image and its class.
  using element_type = Example<features_type, L>;
  /// The file count is known when the source is made.
  static constexpr Cardinality static_cardinality = Cardinality::finite_at_runtime();
  /// A source: no stage applied yet.
  static constexpr pipeline_traits traits{};

  /// Lists `dir` (see `image_folder`).
  ImageFolder(std::string dir, const image_folder_options& o) {
    check_options(dir, o);
    detail::image_listing listing = detail::list_image_folder(dir, o);
    if (o.labels.empty()) check_classes(dir, listing.classes);
    for (std::size_t i = 0; i < listing.labels.size(); ++i)
      if (listing.labels[i] >= L::classes)
        detail::folder_fail(listing.files[i],
                            "has the label " + std::to_string(listing.labels[i]) +
                                " (labels[" + std::to_string(i) + "]), but the type has " +
                                std::to_string(L::classes) + " classes",
                            "give labels in [0, " + std::to_string(L::classes) +
                                "), in the sorted order of the file paths");
    warn_skipped(dir, listing);
    if (listing.files.empty())
      detail::folder_fail(dir,
                          "holds no image files (.jpg, .jpeg, .png, .bmp, .gif) in its " +
                              std::to_string(listing.classes.size()) + " class folders (" +
                              detail::name_list(listing.classes) + ")",
                          "put the images in the class folders");
    auto s = std::make_shared<state>();
    s->dir = std::move(dir);
    s->classes = std::move(listing.classes);
    s->crop = o.crop_to_aspect_ratio;
    s->workers = o.workers;
    s->files = std::move(listing.files);
    s->labels = std::move(listing.labels);
    if (o.seed) shuffle_files(*s, o.seed->value);
    if (o.validation_split > 0) split(*s, o);
    if (o.skip_bad_files) drop_bad_files(*s);
    if (s->files.empty())
      detail::folder_fail(s->dir, "has no readable image left", "replace the corrupt files");
    std::size_t run = 1, longest = 1;
    for (std::size_t i = 1; i < s->labels.size(); ++i) {
      run = s->labels[i] == s->labels[i - 1] ? run + 1 : 1;
      longest = std::max(longest, run);
    }
    s->longest_run = longest;
    state_ = std::move(s);
  }

  /// `finite(N)`, N the image files read.
  [[nodiscard]] Cardinality cardinality() const { return Cardinality::finite(state_->files.size()); }
  /// An element to fill.
  [[nodiscard]] element_type make_element() const { return {}; }
  /// The image files read.
  [[nodiscard]] std::size_t size() const noexcept { return state_->files.size(); }
  /// The class names, in label order (label i is class_names()[i]); empty when the labels were
  /// given.
  [[nodiscard]] const std::vector<std::string>& class_names() const noexcept {
    return state_->classes;
  }
  /// The path of file `i`, in the order passes read them.
  [[nodiscard]] const std::string& file(std::size_t i) const { return state_->files.at(i); }
  /// The class of file `i`.
  [[nodiscard]] std::size_t label(std::size_t i) const { return state_->labels.at(i); }
  /// The longest run of files of one class in file order: the whole class when the files are
  /// not shuffled, which a small shuffle buffer cannot mix [A11].
  [[nodiscard]] std::size_t longest_label_run() const noexcept { return state_->longest_run; }

  /// Reads, decodes and resizes image `i` into `out`, with its label (decoded ahead by the
  /// workers when it was prefetched). A missing or corrupt file is a data_error naming it.
  void read(std::size_t i, element_type& out) const {
    const state& s = *state_;
    if (!(pool_.get() != nullptr && pool_.get()->take(i, out.x.data())))
      decode(s, i, out.x.data(), scratch_);
    const auto label = static_cast<std::int32_t>(s.labels[i]);
    if constexpr (L::category == label_category::one_hot) {
      out.y.fill(0.0f);
      out.y[static_cast<std::size_t>(label)] = 1.0f;
    } else {
      out.y[0] = label;
    }
  }
  /// With workers: starts decoding image `i` ahead of `read(i)` (shuffle calls it for its next
  /// draws, a pass for its next images). Without: nothing.
  void prefetch(std::size_t i) const noexcept {
    if (state_->workers == 0) return;
    if (pool_.get() == nullptr) {
      try {
        const std::shared_ptr<const state> shared = state_;
        pool_.reset(new detail::decode_pool(state_->workers, lookahead, H * W * C, [shared] {
          return [shared, sc = scratch{}](std::size_t index, float* out) mutable {
            decode(*shared, index, out, sc);
          };
        }));
      } catch (...) {
        return;  // no threads: images are decoded when read
      }
    }
    pool_.get()->request(i);
  }

  /// One pass, file 0 to N-1 (with workers, the next `lookahead` decoded ahead).
  class cursor {
  public:
    explicit cursor(const ImageFolder* f) : f_(f) {
      for (std::size_t k = 0; k < lookahead && k < f_->size(); ++k) f_->prefetch(k);
    }
    bool next(element_type& out) {
      if (i_ == f_->size()) return false;
      // Read first: with every slot in use, a request evicts the oldest decoded image, which
      // would be this one.
      f_->read(i_, out);
      if (i_ + lookahead < f_->size()) f_->prefetch(i_ + lookahead);
      ++i_;
      return true;
    }

  private:
    const ImageFolder* f_;
    std::size_t i_ = 0;
  };
  /// Starts a pass.
  [[nodiscard]] cursor open() const { return cursor(this); }

private:
  // Images decoded ahead: as many as shuffle draws ahead (data/shuffle.hpp).
  static constexpr std::size_t lookahead = 16;

  struct state {
    std::string dir;
    std::vector<std::string> classes;
    std::vector<std::string> files;
    std::vector<std::uint32_t> labels;
    bool crop = false;
    std::size_t workers = 0;
    std::size_t longest_run = 1;
  };
  // Buffers reused from image to image (each copy of the source, and each worker, has its own).
  struct scratch {
    std::vector<std::byte> bytes;
    io::image decoded;
  };
  // The decode pool of this copy of the source, made at the first prefetch; a copy starts
  // without one (its workers would otherwise serve two pipelines).
  class pool_holder {
  public:
    pool_holder() = default;
    pool_holder(const pool_holder&) noexcept {}
    pool_holder& operator=(const pool_holder&) noexcept {
      p_.reset();
      return *this;
    }
    pool_holder(pool_holder&&) noexcept = default;
    pool_holder& operator=(pool_holder&&) noexcept = default;
    [[nodiscard]] detail::decode_pool* get() const noexcept { return p_.get(); }
    void reset(detail::decode_pool* p) noexcept { p_.reset(p); }

  private:
    std::unique_ptr<detail::decode_pool> p_;
  };

  static void decode(const state& s, std::size_t i, float* out, scratch& sc) {
    detail::read_whole(s.files[i], sc.bytes);
    io::decode_image(sc.bytes, C, s.files[i], sc.decoded);
    const io::crop_box box = s.crop ? io::aspect_crop(sc.decoded, H, W)
                                    : io::crop_box{0, 0, sc.decoded.height, sc.decoded.width};
    io::resize_bilinear(sc.decoded, box, H, W, out);
  }

  static void check_options(const std::string& dir, const image_folder_options& o) {
    detail::check_split_options(detail::image_kind, dir, o.validation_split, o.subset, o.seed);
  }

  static void check_classes(const std::string& dir, const std::vector<std::string>& classes) {
    detail::check_class_count<L>(dir, classes);
  }

  static void warn_skipped(const std::string& dir, const detail::image_listing& l) {
    detail::warn_other_files(dir, l,
                             "move them out of the class folders, or convert images to PNG or "
                             "JPEG (fitcheck reads .jpg, .jpeg, .png, .bmp and .gif, as Keras)");
  }

  static void shuffle_files(state& s, std::uint64_t seed) {
    detail::shuffle_listing(s.files, s.labels, seed);
  }

  static void split(state& s, const image_folder_options& o) {
    detail::split_listing(detail::image_kind, s.dir, s.files, s.labels, o.validation_split,
                          o.subset);
  }

  static void drop_bad_files(state& s) {
    scratch sc;
    std::vector<std::string> bad;
    std::size_t kept = 0;
    for (std::size_t i = 0; i < s.files.size(); ++i) {
      try {
        detail::read_whole(s.files[i], sc.bytes);
        io::decode_image(sc.bytes, C, s.files[i], sc.decoded);
      } catch (const data_error& e) {
        bad.push_back(e.problem());
        continue;
      }
      if (kept != i) {  // a self-move would empty the string
        s.files[kept] = std::move(s.files[i]);
        s.labels[kept] = s.labels[i];
      }
      ++kept;
    }
    s.files.resize(kept);
    s.labels.resize(kept);
    if (!bad.empty())
      warn("G3",
           s.dir + ": " + std::to_string(bad.size()) + " of " + std::to_string(kept + bad.size()) +
               " images cannot be decoded and are left out (skip_bad_files): " +
               detail::name_list(bad, 3),
           "replace or delete the corrupt files");
  }

  std::shared_ptr<const state> state_;
  mutable scratch scratch_;
  mutable pool_holder pool_;  // after state_: destroyed (its workers joined) first
};

/// Keras' `image_dataset_from_directory(dir, labels='inferred')`: the images in the sub-folders
/// of `dir`, one class per sub-folder (sorted names, or `class_names`), as
/// Examples<Features<H, W, C>, L> with pixels 0-255 resized bilinearly to H x W (optionally
/// cropped to the aspect ratio first) and converted to C channels (a GIF is its first frame).
/// Files other than .jpg, .jpeg, .png, .bmp, .gif are left out with one warning [G2]. The number of class folders must be what `L` says
/// (data_error [G1]). Images are read when the pipeline pulls them: only the file list is in
/// memory.
template <std::size_t H, std::size_t W, std::size_t C, label_kind L>
[[nodiscard]] ImageFolder<H, W, C, L> image_folder(std::string dir,
                                                   const image_folder_options& options = {}) {
  return ImageFolder<H, W, C, L>(std::move(dir), options);
}

}  // namespace fitcheck::data
