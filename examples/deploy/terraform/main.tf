# login-claims as a post-login Action, with the Auth0 Terraform provider (auth0/auth0):
# the Action (auth0_action) and its place in the post-login trigger (auth0_trigger_actions).
# The provider finds the tenant and the credentials Terraform itself uses in the environment
# (AUTH0_DOMAIN, AUTH0_CLIENT_ID, AUTH0_CLIENT_SECRET); the Action's secrets come from the
# variables below (TF_VAR_login_claims_...). See README.md beside this file.

terraform {
  # secrets_wo is a write-only argument: Terraform 1.11 or later, provider 1.52.0 or later.
  required_version = ">= 1.11"

  required_providers {
    auth0 = {
      source  = "auth0/auth0"
      version = "~> 1.52"
    }
  }
}

provider "auth0" {}

variable "login_claims_auth0_domain" {
  description = "The Action's AUTH0_DOMAIN secret: the tenant's domain (my-tenant.eu.auth0.com) or its custom domain."
  type        = string
  sensitive   = true
}

variable "login_claims_management_client_id" {
  description = "The Action's MANAGEMENT_CLIENT_ID secret: the client id of the application granted read:authentication_methods."
  type        = string
  sensitive   = true
}

variable "login_claims_management_client_secret" {
  description = "The Action's MANAGEMENT_CLIENT_SECRET secret: that application's client secret."
  type        = string
  sensitive   = true
}

resource "auth0_action" "login_claims" {
  name    = "login-claims"
  runtime = "node22"
  deploy  = true
  # The file `login-claims init` writes; edit the configuration in it.
  code = file("${path.module}/action.js")

  supported_triggers {
    id      = "post-login"
    version = "v3"
  }

  dependencies {
    name    = "login-claims"
    version = "0.1.0"
  }

  # Write-only: sent to Auth0, never stored in the Terraform state (`secrets` would store them
  # there in plain text).
  secrets_wo {
    name  = "AUTH0_DOMAIN"
    value = var.login_claims_auth0_domain
  }

  secrets_wo {
    name  = "MANAGEMENT_CLIENT_ID"
    value = var.login_claims_management_client_id
  }

  secrets_wo {
    name  = "MANAGEMENT_CLIENT_SECRET"
    value = var.login_claims_management_client_secret
  }

  # The state does not hold the values, so a new value alone goes unnoticed: increment this
  # to send the values again (after rotating the client secret, for example).
  secrets_wo_version = 1
}

resource "auth0_trigger_actions" "post_login" {
  trigger = "post-login"

  # This resource owns every binding of the trigger, in the order they run: list your other
  # post-login Actions here too, or applying it unbinds them.
  actions {
    id           = auth0_action.login_claims.id
    display_name = auth0_action.login_claims.name
  }
}
