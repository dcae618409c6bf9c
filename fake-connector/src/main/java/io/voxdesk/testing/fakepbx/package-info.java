/**
 * A made-up cloud PBX and its connector, written against the calls SPI alone: tests add it to show that a third
 * connector needs no change to the calls module. Never shipped.
 */
@NullMarked
package io.voxdesk.testing.fakepbx;

import org.jspecify.annotations.NullMarked;
