// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

// Text: TextVectorization and from_texts (texts to token indices for an Embedding) and the text
// folder source (read_text_folder, Keras' text_dataset_from_directory). Not part of
// <fitcheck/fitcheck.hpp>: only programs that read texts parse the tokenizer, its hash maps and
// the folder listing (about 5% of the umbrella's compile time and memory).

#include <fitcheck/data/text.hpp>
#include <fitcheck/data/text_folder.hpp>
