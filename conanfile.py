# SPDX-License-Identifier: MIT
import os

from conan import ConanFile
from conan.tools.build import check_min_cppstd
from conan.tools.files import copy
from conan.tools.layout import basic_layout

required_conan_version = ">=2.0"


class FitcheckConan(ConanFile):
    name = "fitcheck"
    version = "0.1.0"
    description = ("Header-only C++20 neural-network training, the Keras/tf.data way, "
                   "where the classic training mistakes do not compile")
    license = "MIT"
    url = "https://github.com/fitcheck/fitcheck"
    homepage = "https://github.com/fitcheck/fitcheck"
    topics = ("machine-learning", "neural-networks", "header-only", "simd", "xtensor")
    package_type = "header-library"
    settings = "os", "arch", "compiler", "build_type"
    options = {"with_thrust": [True, False], "with_zlib": [True, False],
               "with_images": [True, False]}
    default_options = {"with_thrust": False, "with_zlib": True, "with_images": True}
    implements = ["auto_header_only"]
    no_copy_source = True
    exports_sources = "include/*", "LICENSE", "cmake/fitcheckKernels.cmake"

    @property
    def _min_cppstd(self):
        return 20

    def layout(self):
        basic_layout(self, src_folder=".")

    def requirements(self):
        self.requires("xtensor/0.25.0", transitive_headers=True)
        self.requires("xsimd/13.2.0", transitive_headers=True)
        if self.options.with_thrust:
            self.requires("thrust/1.17.2", transitive_headers=True)
        if self.options.with_zlib:
            self.requires("zlib/[>=1.2.11 <2]", transitive_headers=True)
        if self.options.with_images:
            self.requires("libjpeg-turbo/[>=2.1 <4]", transitive_headers=True)
            self.requires("libpng/[>=1.6 <2]", transitive_headers=True)
            self.requires("giflib/[>=5.1 <6]", transitive_headers=True)

    def validate(self):
        check_min_cppstd(self, self._min_cppstd)

    def package(self):
        copy(self, "LICENSE", self.source_folder, os.path.join(self.package_folder, "licenses"))
        copy(self, "*.hpp", os.path.join(self.source_folder, "include"),
             os.path.join(self.package_folder, "include"))
        copy(self, "fitcheckKernels.cmake", os.path.join(self.source_folder, "cmake"),
             os.path.join(self.package_folder, "share", "cmake", "fitcheck"))

    def package_info(self):
        # Same file and target names as the CMake export: find_package(fitcheck) ->
        # fitcheck::headers (the headers and their dependencies) and fitcheck::fitcheck (links
        # the component; the build module adds the CPU kernels library, runtime dispatch).
        self.cpp_info.set_property("cmake_file_name", "fitcheck")
        self.cpp_info.set_property("cmake_target_name", "fitcheck::fitcheck")
        self.cpp_info.set_property("cmake_build_modules",
                                   [os.path.join("share", "cmake", "fitcheck", "fitcheckKernels.cmake")])
        headers = self.cpp_info.components["headers"]
        headers.set_property("cmake_target_name", "fitcheck::headers")
        headers.bindirs = []
        headers.libdirs = []
        headers.requires = ["xtensor::xtensor", "xsimd::xsimd"]
        if self.options.with_zlib:
            # gzip'd IDX files (from_idx), as CMake's FITCHECK_WITH_ZLIB.
            headers.requires.append("zlib::zlib")
            headers.defines.append("FITCHECK_WITH_ZLIB=1")
        if self.options.with_images:
            # JPEG, PNG and GIF decoding (io/image.hpp), as CMake's FITCHECK_WITH_IMAGES.
            headers.requires += ["libjpeg-turbo::jpeg", "libpng::libpng", "giflib::giflib"]
            headers.defines += ["FITCHECK_WITH_JPEG=1", "FITCHECK_WITH_PNG=1", "FITCHECK_WITH_GIF=1"]
        if self.options.with_thrust:
            # The cuda backend (fc::cuda_t), as CMake's FITCHECK_ENABLE_CUDA: Thrust's CUDA device
            # system, so code using it is compiled by nvcc.
            headers.requires.append("thrust::thrust")
            headers.defines.append("FITCHECK_HAS_CUDA=1")
