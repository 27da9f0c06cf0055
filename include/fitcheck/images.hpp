// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

// Images: the image folder source (image_folder, Keras' image_dataset_from_directory) and the
// JPEG/PNG decoding and resizing it uses. Not part of <fitcheck/fitcheck.hpp>: only programs
// that read images parse the decoders' headers (png.h, jpeglib.h).

#include <fitcheck/data/image_folder.hpp>
#include <fitcheck/io/image.hpp>
