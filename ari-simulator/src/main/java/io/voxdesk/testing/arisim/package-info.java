/** A test double of Asterisk's REST Interface (ARI) that speaks HTTP and WebSocket like Asterisk 22. */
@org.jspecify.annotations.NullMarked
package io.voxdesk.testing.arisim;
