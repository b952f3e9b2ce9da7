/**
 * Switchable deliberate bugs for the testkit's checker self-tests; never used in production.
 */
package io.armature.engine.faults;
