// Health check of the app container (Dockerfile HEALTHCHECK and
// docker-compose.yml): healthy while /health answers 200, which it does only
// when the database and Redis answer too.
const port = process.env.PORT || '3000';
try {
  const response = await fetch(`http://127.0.0.1:${port}/health`, { signal: AbortSignal.timeout(4000) });
  process.exit(response.ok ? 0 : 1);
} catch {
  process.exit(1);
}
