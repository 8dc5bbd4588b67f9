// HeedTestSupport
