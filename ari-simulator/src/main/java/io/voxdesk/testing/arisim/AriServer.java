package io.voxdesk.testing.arisim;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.netty.util.concurrent.GlobalEventExecutor;

import io.voxdesk.testing.arisim.HttpExchange.Request;
import io.voxdesk.testing.arisim.HttpExchange.Response;

/** The Netty HTTP server: ARI REST, the event WebSocket and the admin API on one port of 127.0.0.1. */
final class AriServer implements AutoCloseable {

	private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);

	private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());

	private final ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);

	private final Pbx pbx;

	private final AriApi ari;

	private final AdminApi admin;

	private final BooleanSupplier refuseWebSockets;

	/** How long an event WebSocket upgrade waits before it is answered (a slow PBX), in milliseconds. */
	private final LongSupplier handshakeDelayMillis;

	/** Event WebSockets open now, and upgrade requests ever received (refused ones included). */
	private final AtomicInteger openEventSockets = new AtomicInteger();

	private final AtomicInteger eventSocketRequests = new AtomicInteger();

	private final String credentials;

	private final Channel serverChannel;

	AriServer(Pbx pbx, AdminApi admin, BooleanSupplier refuseWebSockets, LongSupplier handshakeDelayMillis) {
		this.pbx = pbx;
		this.handshakeDelayMillis = handshakeDelayMillis;
		this.ari = new AriApi(pbx);
		this.admin = admin;
		this.refuseWebSockets = refuseWebSockets;
		this.credentials = pbx.settings().username() + ":" + pbx.settings().password();
		try {
			this.serverChannel = new ServerBootstrap().group(group)
				.channel(NioServerSocketChannel.class)
				.childHandler(new ChannelInitializer<SocketChannel>() {
					@Override
					protected void initChannel(SocketChannel channel) {
						connections.add(channel);
						channel.pipeline()
							.addLast(new HttpServerCodec())
							.addLast(new HttpObjectAggregator(16 * 1024 * 1024))
							.addLast(new HttpHandler());
					}
				})
				.bind("127.0.0.1", pbx.settings().port())
				.sync()
				.channel();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
			throw new IllegalStateException("interrupted while binding", ex);
		}
		catch (Exception ex) {
			// Netty rethrows a bind failure (a checked BindException) undeclared; the event loops must not outlive it.
			group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
			throw new IllegalStateException("cannot listen on 127.0.0.1:" + pbx.settings().port(), ex);
		}
	}

	int port() {
		return ((InetSocketAddress) serverChannel.localAddress()).getPort();
	}

	@Override
	public void close() {
		serverChannel.close().syncUninterruptibly();
		connections.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
		group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
	}

	private boolean authorized(FullHttpRequest request, Request parsed) {
		String header = request.headers().get(HttpHeaderNames.AUTHORIZATION);
		if (header != null && header.regionMatches(true, 0, "Basic ", 0, 6)) {
			try {
				String decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()),
						StandardCharsets.UTF_8);
				if (decoded.equals(credentials)) {
					return true;
				}
			}
			catch (IllegalArgumentException ex) {
				// Not base64: the same as wrong credentials.
			}
		}
		return credentials.equals(parsed.query().get("api_key"));
	}

	private static Response unauthorized() {
		Response json = Response.json(401, Json.message("Authentication required"));
		return new Response(401, json.body(), json.contentType(),
				Map.of("WWW-Authenticate", "Basic realm=\"Asterisk REST Interface\""));
	}

	/** The HTML error page of Asterisk's HTTP server. */
	static Response htmlError(int status, String reason, String text) {
		String html = "<!DOCTYPE HTML PUBLIC \"-//IETF//DTD HTML 2.0//EN\">\r\n<html><head>\r\n<title>" + status + " "
				+ reason + "</title>\r\n</head><body>\r\n<h1>" + reason + "</h1>\r\n<p>" + text
				+ "</p>\r\n<hr />\r\n<address>Asterisk</address>\r\n</body></html>\r\n";
		return new Response(status, html.getBytes(StandardCharsets.UTF_8), "text/html", Map.of());
	}

	private static void write(ChannelHandlerContext ctx, boolean keepAlive, Response response) {
		FullHttpResponse http = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
				HttpResponseStatus.valueOf(response.status()), Unpooled.wrappedBuffer(response.body()));
		http.headers()
			.set(HttpHeaderNames.SERVER, "Asterisk")
			.set(HttpHeaderNames.DATE, HTTP_DATE.format(ZonedDateTime.now(ZoneOffset.UTC)))
			.set(HttpHeaderNames.CACHE_CONTROL, "no-cache, no-store")
			.set(HttpHeaderNames.CONTENT_LENGTH, response.body().length);
		if (response.contentType() != null) {
			http.headers().set(HttpHeaderNames.CONTENT_TYPE, response.contentType());
		}
		response.headers().forEach(http.headers()::set);
		if (!keepAlive) {
			http.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
		}
		// Queued behind the event frames the request produced, so that events can beat the response as they
		// do with Asterisk, even when the WebSocket shares this connection's event loop.
		Channel channel = ctx.channel();
		channel.eventLoop().execute(() -> {
			var future = channel.writeAndFlush(http);
			if (!keepAlive) {
				future.addListener(ChannelFutureListener.CLOSE);
			}
		});
	}

	/** Serves REST requests and turns {@code /ari/events} upgrades into an {@link EventSocketHandler}. */
	private final class HttpHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

		@Override
		protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
			boolean keepAlive = HttpUtil.isKeepAlive(request);
			if (!request.decoderResult().isSuccess()) {
				write(ctx, false, htmlError(400, "Bad Request", "The request could not be parsed."));
				return;
			}
			String host = request.headers().get(HttpHeaderNames.HOST, "127.0.0.1:" + port());
			Request parsed = Request.parse(request.method().name(), request.uri(),
					ByteBufUtil.getBytes(request.content()), host);
			var segments = parsed.segments();
			String first = segments.isEmpty() ? "" : segments.get(0);
			if ("ari".equals(first) && segments.size() == 2 && "events".equals(segments.get(1))
					&& "websocket".equalsIgnoreCase(request.headers().get(HttpHeaderNames.UPGRADE))) {
				upgrade(ctx, request, parsed);
				return;
			}
			Response response;
			if ("_sim".equals(first)) {
				response = admin.handle(parsed);
			}
			else if ("ari".equals(first)) {
				response = authorized(request, parsed) ? ari.handle(parsed) : unauthorized();
			}
			else {
				response = htmlError(404, "Not Found", "The requested URL was not found on this server.");
			}
			write(ctx, keepAlive, response);
		}

		private void upgrade(ChannelHandlerContext ctx, FullHttpRequest request, Request parsed) {
			eventSocketRequests.incrementAndGet();
			if (!authorized(request, parsed)) {
				write(ctx, false, unauthorized());
				return;
			}
			String apps = parsed.query().get("app");
			if (apps == null || apps.isEmpty()) {
				write(ctx, false, htmlError(400, "Bad Request", "HTTP request is missing param: [app]"));
				return;
			}
			if (refuseWebSockets.getAsBoolean()) {
				write(ctx, false, htmlError(503, "Service Unavailable", "The WebSocket service is not available."));
				return;
			}
			WebSocketServerHandshaker handshaker = new WebSocketServerHandshakerFactory(
					"ws://" + parsed.host() + request.uri(), null, true, 1024 * 1024)
				.newHandshaker(request);
			if (handshaker == null) {
				WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel());
				return;
			}
			Set<String> appNames = new LinkedHashSet<>(Arrays.asList(apps.split(",")));
			boolean subscribeAll = Boolean.parseBoolean(parsed.query().getOrDefault("subscribeAll", "false"));
			Channel channel = ctx.channel();
			AppSession session = new AppSession(appNames, subscribeAll, new AppSession.Sink() {
				@Override
				public void send(String json) {
					channel.eventLoop().execute(() -> {
						if (channel.isActive()) {
							channel.writeAndFlush(new TextWebSocketFrame(json));
						}
					});
				}

				@Override
				public void close() {
					channel.eventLoop().execute(() -> channel.writeAndFlush(new CloseWebSocketFrame(1001, "Shutdown"))
						.addListener(ChannelFutureListener.CLOSE));
				}
			});
			ctx.pipeline().replace(this, "ari-events", new EventSocketHandler(session, handshaker));
			Runnable answer = () -> {
				// Registered before the 101 goes out, so a client that originates as soon as it sees the 101 finds its
				// application; frames queued meanwhile leave after the 101 because they go through the event loop.
				pbx.connect(session);
				handshaker.handshake(channel, request).addListener(future -> {
					request.release();
					if (!future.isSuccess()) {
						pbx.disconnect(session);
						channel.close();
					}
					else {
						openEventSockets.incrementAndGet();
						channel.closeFuture().addListener(closed -> openEventSockets.decrementAndGet());
					}
				});
			};
			request.retain();
			long delay = handshakeDelayMillis.getAsLong();
			if (delay > 0) {
				ctx.executor().schedule(answer, delay, TimeUnit.MILLISECONDS);
			}
			else {
				answer.run();
			}
		}

		@Override
		public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
			ctx.close();
		}
	}

	int openEventSockets() {
		return openEventSockets.get();
	}

	int eventSocketRequests() {
		return eventSocketRequests.get();
	}

	/** One open event WebSocket: answers pings and closes, and unregisters its applications when it goes. */
	private final class EventSocketHandler extends SimpleChannelInboundHandler<WebSocketFrame> {

		private final AppSession session;

		private final WebSocketServerHandshaker handshaker;

		EventSocketHandler(AppSession session, WebSocketServerHandshaker handshaker) {
			this.session = session;
			this.handshaker = handshaker;
		}

		@Override
		protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
			if (frame instanceof CloseWebSocketFrame close) {
				pbx.disconnect(session);
				handshaker.close(ctx.channel(), close.retain());
			}
			else if (frame instanceof PingWebSocketFrame ping) {
				ctx.writeAndFlush(new PongWebSocketFrame(ping.content().retain()));
			}
		}

		@Override
		public void channelInactive(ChannelHandlerContext ctx) throws Exception {
			pbx.disconnect(session);
			super.channelInactive(ctx);
		}

		@Override
		public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
			ctx.close();
		}
	}
}
