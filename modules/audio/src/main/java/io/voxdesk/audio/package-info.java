/**
 * The tenant's audio library: uploaded and synthesised audio, converted once to what a PBX plays, for campaign
 * messages, IVR prompts and music on hold.
 */
@ApplicationModule(allowedDependencies = { "tenants" })
@NullMarked
package io.voxdesk.audio;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
