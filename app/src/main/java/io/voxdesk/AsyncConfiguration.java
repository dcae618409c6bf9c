package io.voxdesk;

import org.springframework.boot.task.ThreadPoolTaskExecutorBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

/**
 * The bounded pool that runs asynchronous event listeners ({@code spring.task.execution.*}). Spring Boot stops
 * providing it as soon as another executor exists (the STOMP broker declares four), and {@code @Async} then falls
 * back to a new thread per event, which under load opens more transactions than the connection pool has.
 */
@Configuration(proxyBeanMethods = false)
class AsyncConfiguration {

	@Bean(name = { "applicationTaskExecutor", "taskExecutor" })
	ThreadPoolTaskExecutor applicationTaskExecutor(ThreadPoolTaskExecutorBuilder builder) {
		return builder.threadNamePrefix("task-").build();
	}
}
