/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * Coordinator endpoints of the social map: the edit view of a service, saving an edit model
 * (PUT), creating a service (POST) and the organisations a new service can belong to. JSON in
 * and out of the directory module, which checks the coordinator's region, the model and the
 * HSDS profile, and writes the revision and the audit row.
 */
#include "core/compat.h"

#include "api/api_int.h"
#include "directory/directory.h"

/* A refusal is recorded in the trail after the rollback, like refused client access. */
static enum err refused(struct api_req *r, enum err rc, const char *action)
{
    if (rc == ERR_FORBIDDEN) {
        audit_note_denial(&r->actx, NULL, action, "map_service");
        snprintf(r->detail, sizeof(r->detail),
                 "only a coordinator of the service's region may edit it");
    }
    return rc;
}

enum err api_map_service_edit(struct api_req *r)
{
    json_t *out = NULL;
    enum err rc = dir_service_edit_view(r->conn, &r->who, r->params[0], &out);
    if (!rc) {
        r->resp = out;
    }
    return refused(r, rc, "read");
}

static enum err save(struct api_req *r, const char *hsds_id)
{
    char id[64] = "";
    json_t *body = NULL;
    /* texts may be 8 KiB (HSDS_TEXT_MAX, checked per field with a 422); twice that is transport */
    enum err rc = api__body_object_cap(r, 2 * HSDS_TEXT_MAX, &body);

    if (!rc) {
        rc = dir_service_save(r->conn, &r->actx, &r->who, NULL, hsds_id, body, &r->verr, id);
    }
    if (!rc) {
        r->resp = json_pack("{s:s}", "id", id);
        if (!hsds_id) {
            r->status = 201;
            snprintf(r->location, sizeof(r->location), "/api/v1/services/%s", id);
        }
    }
    json_decref(body);
    return refused(r, rc, hsds_id ? "update" : "create");
}

enum err api_map_service_update(struct api_req *r)
{
    return save(r, r->params[0]);
}

enum err api_map_service_create(struct api_req *r)
{
    return save(r, NULL);
}

enum err api_map_orgs(struct api_req *r)
{
    json_t *out = NULL;
    enum err rc = dir_map_orgs(r->conn, &out);
    if (!rc) {
        r->resp = out;
    }
    return rc;
}
