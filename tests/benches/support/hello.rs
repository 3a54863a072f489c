//! The hello-world endpoint throughput is compared with: plain poem, served by the bench's own
//! runtime on a port of its own.

#[poem::handler]
fn hello() -> &'static str {
    "hello, world"
}

/// Serves the hello-world endpoint; returns its URL once it answers.
pub async fn serve() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("hello port");
    let addr = listener.local_addr().expect("addr");
    drop(listener);
    let app = poem::Route::new().at("/hello", poem::get(hello));
    tokio::spawn(poem::Server::new(poem::listener::TcpListener::bind(addr.to_string())).run(app));
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    format!("http://{addr}/hello")
}
