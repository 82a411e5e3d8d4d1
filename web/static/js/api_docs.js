// /docs: starts the vendored Swagger UI on the app's OpenAPI schema (no inline script: CSP).
const root = document.getElementById("swagger-ui");
globalThis.SwaggerUIBundle({
  url: root.dataset.schemaUrl,
  domNode: root,
  deepLinking: true,
  presets: [globalThis.SwaggerUIBundle.presets.apis],
});
