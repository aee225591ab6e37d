"""The static files storage with DEBUG off: WhiteNoise's hashed, compressed
files (``collectstatic``), tolerant of one thing only: a vendored library
whose ``sourceMappingURL`` comment names a map that its npm package does not
ship (chart.js's UMD build). Django would fail the whole collectstatic on it;
here the comment is left as it is (browsers fetch maps only with the
developer tools open). Every other missing reference still fails."""

from __future__ import annotations

import posixpath

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    def url_converter(self, name, hashed_files, template=None):
        convert = super().url_converter(name, hashed_files, template)

        def converter(matchobj):
            matched, url = matchobj["matched"], matchobj["url"]
            if "sourceMappingURL" in matched and "://" not in url:
                target = posixpath.normpath(
                    posixpath.join(posixpath.dirname(name), url.strip())
                )
                if not self.exists(target):
                    return matched
            return convert(matchobj)

        return converter
