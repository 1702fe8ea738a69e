// Swagger UI for this service: the document at /openapi, and "Authorize" with the OAuth2 password flow, whose
// token URL the document gives (/token). Replaces the initializer of the Swagger UI webjar, which loads a demo.
window.onload = function () {
  window.ui = SwaggerUIBundle({
    url: "../openapi?format=JSON",
    dom_id: "#swagger-ui",
    deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
    plugins: [SwaggerUIBundle.plugins.DownloadUrl],
    layout: "StandaloneLayout"
  });
};
