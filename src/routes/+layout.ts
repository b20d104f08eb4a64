// The app renders from the replica in the browser; the server has nothing to render, only the shell to serve.
export const ssr = false;
