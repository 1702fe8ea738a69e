// Swagger UI for this service: the document at /openapi, and "Authorize" with the OAuth2 password flow (a user's
// token) or the client credentials flow (a confidential client's own token), whose token URL the document gives
// (/token). Replaces the initializer of the Swagger UI webjar, which loads a demo.
// Everything the page loads comes from this service: see validatorUrl.
window.onload = function () {
  window.ui = SwaggerUIBundle({
    url: "../openapi?format=JSON",
    dom_id: "#swagger-ui",
    deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
    plugins: [SwaggerUIBundle.plugins.DownloadUrl],
    layout: "StandaloneLayout",
    // Swagger UI's default shows a badge image from validator.swagger.io, whose address carries this document's
    // URL, whenever the page is not on localhost or 127.0.0.1: a request to a third party on every visit
    validatorUrl: null,
    // the browser tab names this service, not "Swagger UI" (the webjar's index.html title)
    onComplete: function () {
      document.title = window.ui.specSelectors.info().get("title") + " API docs";
    }
  });
};
