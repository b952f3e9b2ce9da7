/**
 * The storage conformance kit: extend {@link io.armature.testkit.storage.StorageEngineContract}
 * with one method that opens your engine on a directory, and the kit checks the
 * {@link io.armature.spi.storage.StorageEngine} contract on both the JUnit Jupiter and jqwik engines.
 */
package io.armature.testkit.storage;
