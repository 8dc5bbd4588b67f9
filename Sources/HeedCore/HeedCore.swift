// HeedCore
enum HeedCoreModule {}
