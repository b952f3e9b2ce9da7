/**
 * The storage plugin contract: a {@link io.armature.spi.storage.StorageProvider} opens a
 * {@link io.armature.spi.storage.StorageEngine} per node. Plugin authors prove an engine with
 * {@code io.armature.testkit.storage.StorageEngineContract} from {@code armature-testkit}.
 */
package io.armature.spi.storage;
