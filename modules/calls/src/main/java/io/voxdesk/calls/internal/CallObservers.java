package io.voxdesk.calls.internal;

import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.jvm.ExecutorServiceMetrics;

import io.voxdesk.calls.CallDetails;
import io.voxdesk.calls.CallObserver;
import io.voxdesk.tenants.TenantId;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Hands each committed call state to the {@link CallObserver}s, without a second read, on one thread of its own:
 * in the order the commits finished, and without keeping the committing thread (a click's request, the event
 * worker) and its database connection busy with pushing to browsers.
 */
@Component
class CallObservers implements DisposableBean, MeterBinder {

	private static final Logger log = LoggerFactory.getLogger(CallObservers.class);

	private final ObjectProvider<CallObserver> observers;

	/** One thread, so observers hear of a call's changes in the order they committed. */
	private final ThreadPoolExecutor telling = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
			new LinkedBlockingQueue<>(), Thread.ofPlatform().name("call-observers").daemon().factory());

	CallObservers(ObjectProvider<CallObserver> observers) {
		this.observers = observers;
	}

	/** After the current transaction commits (at once without one); nothing if it rolls back. */
	void changed(TenantId tenant, CallDetails call) {
		if (!TransactionSynchronizationManager.isSynchronizationActive()) {
			telling.execute(() -> tell(tenant, call));
			return;
		}
		TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {

			@Override
			public void afterCommit() {
				telling.execute(() -> tell(tenant, call));
			}
		});
	}

	private void tell(TenantId tenant, CallDetails call) {
		observers.orderedStream().forEach(observer -> {
			try {
				observer.changed(tenant, call);
			}
			catch (RuntimeException e) {
				log.warn("Call observer {} failed for call {}: {}", observer.getClass().getSimpleName(), call.id(),
						e.toString());
			}
		});
	}

	/** Its queue and thread as {@code executor.*} metrics named {@code voxdesk.calls.observers}. */
	@Override
	public void bindTo(MeterRegistry registry) {
		new ExecutorServiceMetrics(telling, "voxdesk.calls.observers", List.of()).bindTo(registry);
	}

	@Override
	public void destroy() {
		telling.shutdown();
	}
}
