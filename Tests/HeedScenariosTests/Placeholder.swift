import Testing

// Tests for this module live beside this file, one file per subject.
