package io.voxdesk.calls.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.voxdesk.calls.CallId;
import io.voxdesk.calls.CallsSettings;
import io.voxdesk.calls.spi.ProviderCallEvent;
import io.voxdesk.tenants.Fence;
import io.voxdesk.tenants.TenantContext;
import io.voxdesk.tenants.TenantId;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Where connectors hand in provider events. Events that arrive together (many calls on many connections) are applied
 * in one transaction per tenant by one worker thread: a commit per batch instead of one per event, and no two
 * threads queueing on the same call's row lock. The caller still waits until its event is committed, so a webhook
 * is answered, or an ARI event acknowledged, only once the change is durable.
 */
@Component
class CallEventPipeline implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(CallEventPipeline.class);

	/**
	 * One event waiting for the worker, with the tenant it was handed in for and the lease its connector held then
	 * (its writes are refused if that lease has moved on); or, without an event, a click-to-call whose
	 * {@code call.started} entry is due (queued before anything the provider can report about it).
	 */
	record Pending(TenantId tenant, @Nullable Fence fence, @Nullable ProviderCallEvent event,
			@Nullable CallId started, CompletableFuture<Boolean> applied) {

		Batch batch() {
			return new Batch(tenant, fence);
		}
	}

	/** What events must share to be applied in one transaction. */
	record Batch(TenantId tenant, @Nullable Fence fence) {
	}

	/** How long events wait for a database that cannot be reached before they fail (a restart takes seconds). */
	private static final java.time.Duration PATIENCE = java.time.Duration.ofMinutes(2);

	private final CallWorkflow workflow;

	private final TenantContext context;

	private final int batchSize;

	// Bounded: when the database cannot keep up, connectors wait here instead of the heap filling up.
	private final BlockingQueue<Pending> queue = new ArrayBlockingQueue<>(10_000);

	private volatile boolean running;

	private Thread worker = new Thread(() -> { });

	CallEventPipeline(CallWorkflow workflow, TenantContext context, CallsSettings settings) {
		this.workflow = workflow;
		this.context = context;
		this.batchSize = Math.max(1, settings.eventBatch());
	}

	/**
	 * Applies the event for the current tenant and returns once it is committed. Inside a caller's transaction it is
	 * applied there, so it commits or rolls back with the caller's other work.
	 */
	public boolean apply(ProviderCallEvent event) {
		if (!running || TransactionSynchronizationManager.isActualTransactionActive()) {
			return workflow.apply(event);
		}
		try {
			return submit(event).get();
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while event " + event.key() + " was being applied", e);
		}
		catch (ExecutionException e) {
			if (e.getCause() instanceof RuntimeException runtime) {
				throw runtime;
			}
			throw new IllegalStateException(e.getCause());
		}
	}

	/**
	 * Queues the event for the current tenant; the future completes once it is committed. Events submitted by one
	 * thread are applied in the order submitted.
	 */
	public CompletableFuture<Boolean> submit(ProviderCallEvent event) {
		if (!running) {
			return CompletableFuture.completedFuture(workflow.apply(event));
		}
		return enqueue(new Pending(context.currentTenant(), context.fence().orElse(null), event, null,
				new CompletableFuture<>()));
	}

	/**
	 * Queues the {@code call.started} timeline entry of a click-to-call that has just been committed: ahead of every
	 * provider event of that call, which can only follow the dialer, and off the click's request.
	 */
	void started(TenantId tenant, CallId call) {
		if (!running) {
			context.runAs(tenant, () -> workflow.appendStartedNow(call));
			return;
		}
		enqueue(new Pending(tenant, null, null, call, new CompletableFuture<>()));
	}

	private CompletableFuture<Boolean> enqueue(Pending pending) {
		try {
			queue.put(pending);
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			pending.applied().completeExceptionally(e);
		}
		return pending.applied();
	}

	private void work() {
		var batch = new ArrayList<Pending>(batchSize);
		while (running || !queue.isEmpty()) {
			try {
				var first = queue.poll(200, TimeUnit.MILLISECONDS);
				if (first == null) {
					continue;
				}
				batch.add(first);
				queue.drainTo(batch, batchSize - 1);
				byTenantAndFence(batch).forEach(this::applyAll);
			}
			catch (InterruptedException e) {
				Thread.currentThread().interrupt();
				break;
			}
			catch (RuntimeException | Error e) {
				log.error("Call event worker: unexpected failure, failing {} events", batch.size(), e);
				batch.forEach(pending -> pending.applied().completeExceptionally(e));
			}
			finally {
				batch.clear();
			}
		}
	}

	/**
	 * One group per tenant and fence. A tenant's unfenced group goes first: it holds the clicks' {@code call.started}
	 * entries, which must precede whatever a connector reports about those calls under its lease.
	 */
	static LinkedHashMap<Batch, List<Pending>> byTenantAndFence(List<Pending> batch) {
		var groups = new LinkedHashMap<Batch, List<Pending>>();
		batch.forEach(pending -> groups.computeIfAbsent(pending.batch(), key -> new ArrayList<>()).add(pending));
		var ordered = new LinkedHashMap<Batch, List<Pending>>();
		for (var key : groups.keySet()) {
			var unfenced = new Batch(key.tenant(), null);
			if (groups.containsKey(unfenced)) {
				ordered.putIfAbsent(unfenced, groups.get(unfenced));
			}
			ordered.putIfAbsent(key, groups.get(key));
		}
		return ordered;
	}

	private void applyAll(Batch batch, List<Pending> group) {
		Supplier<List<Boolean>> work = () -> workflow.applyAll(
				group.stream().map(Pending::started).filter(Objects::nonNull).toList(),
				group.stream().map(Pending::event).filter(Objects::nonNull).toList());
		try {
			var changed = untilTheDatabaseAnswers(batch, work);
			var changes = changed.iterator();
			for (var pending : group) {
				pending.applied().complete(pending.event() == null || changes.next());
			}
		}
		catch (RuntimeException e) {
			if (group.size() == 1 || DatabaseUnavailable.causedBy(e)) {
				// A database still away after the wait fails the whole group at once: one by one, each event would
				// wait as long again.
				group.forEach(pending -> pending.applied().completeExceptionally(e));
				return;
			}
			// One bad event must not fail the others: apply each on its own, so only it reports the failure.
			log.warn("Batch of {} call events for tenant {} failed ({}, at the root {}); applying them one by one",
					group.size(), batch.tenant(), e.toString(), NestedExceptionUtils.getMostSpecificCause(e).toString());
			for (var pending : group) {
				applyAll(batch, List.of(pending));
			}
		}
	}

	/**
	 * Applies the group, and while the database cannot be reached (a restart, a failover) tries the same group again
	 * after a pause instead of failing its events: a provider's event has nowhere else to go, and the ones queued
	 * behind it keep their order. Applying a group twice is harmless (each event is applied once by its key), which
	 * covers a commit whose answer was lost with the connection.
	 */
	private List<Boolean> untilTheDatabaseAnswers(Batch batch, Supplier<List<Boolean>> work) {
		var pause = 250L;
		var since = 0L;
		while (true) {
			try {
				var fence = batch.fence();
				var changed = fence == null ? context.callAs(batch.tenant(), work)
						: context.callFenced(batch.tenant(), fence, work);
				if (since != 0) {
					log.info("Call events: the database answers again after {} ms; carrying on",
							(System.nanoTime() - since) / 1_000_000);
				}
				return changed;
			}
			catch (RuntimeException e) {
				if (!running || !DatabaseUnavailable.causedBy(e)) {
					throw e;
				}
				if (since != 0 && System.nanoTime() - since > PATIENCE.toNanos()) {
					log.error("Call events: the database has not answered for {} s; failing the events waiting for it",
							PATIENCE.toSeconds());
					throw e;
				}
				if (since == 0) {
					since = System.nanoTime();
					log.warn("Call events: the database cannot be reached ({}); holding {} queued events until it can",
							e.getClass().getSimpleName(), queue.size() + 1);
				}
				try {
					Thread.sleep(pause);
				}
				catch (InterruptedException interrupted) {
					Thread.currentThread().interrupt();
					throw e;
				}
				pause = Math.min(pause * 2, 2_000);
			}
		}
	}

	@Override
	public void start() {
		running = true;
		worker = Thread.ofPlatform().name("call-events").daemon(true).start(this::work);
	}

	@Override
	public void stop() {
		running = false;
		try {
			worker.join(TimeUnit.SECONDS.toMillis(10));
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
		}
		Pending left;
		while ((left = queue.poll()) != null) {
			left.applied().completeExceptionally(new IllegalStateException("Voxdesk is shutting down"));
		}
	}

	@Override
	public boolean isRunning() {
		return running;
	}

	@Override
	public int getPhase() {
		// Stops after the connectors (default phase) have stopped handing in events.
		return Integer.MAX_VALUE - 100;
	}
}
