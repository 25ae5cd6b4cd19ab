{{/*
Shared named templates. Every component (7 gRPC services + the gateway) is rendered by one
loop over `.Values.components`; each component's settings are `componentDefaults` deep-merged
with its own block (see "ktxh.component.merge").
*/}}

{{/* ---------------------------------------------------------------- names */}}

{{- define "ktxh.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "ktxh.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "ktxh.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Name of a component's resources. Usage: include "ktxh.componentName" (dict "root" $ "name" "catalog") */}}
{{- define "ktxh.componentName" -}}
{{- printf "%s-%s" (include "ktxh.fullname" .root) .name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* ---------------------------------------------------------------- labels */}}

{{/* Usage: include "ktxh.labels" (dict "root" $ "component" "catalog") */}}
{{- define "ktxh.labels" -}}
helm.sh/chart: {{ include "ktxh.chart" .root }}
{{ include "ktxh.selectorLabels" . }}
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/part-of: ktxh
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
ktxh/province: {{ .root.Values.province.code | quote }}
{{- with .root.Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/* Selectors use only name, instance and component. */}}
{{- define "ktxh.selectorLabels" -}}
app.kubernetes.io/name: {{ include "ktxh.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
{{- if .component }}
app.kubernetes.io/component: {{ .component }}
{{- end }}
{{- end -}}

{{/* Pods of this release (all components, jobs and the collector). */}}
{{- define "ktxh.releaseSelector" -}}
app.kubernetes.io/name: {{ include "ktxh.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "ktxh.annotations" -}}
{{- with .Values.commonAnnotations }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/* ---------------------------------------------------------------- values */}}

{{/*
Deep-merge `src` into `dst` in place: maps merge key by key, null removes the key, anything
else (scalars, lists, false, 0, "") from `src` replaces. Sprig's merge/mergeOverwrite drop false and zero values,
which would make `enabled: false` impossible to override, hence this helper.
Usage: include "ktxh.util.mergeInto" (list $dst $src)   (renders nothing)
*/}}
{{- define "ktxh.util.mergeInto" -}}
{{- $dst := index . 0 -}}
{{- range $key, $value := (index . 1) -}}
{{- $current := index $dst $key -}}
{{- if kindIs "invalid" $value -}}
{{- $_ := unset $dst $key -}}
{{- else if and (kindIs "map" $value) (kindIs "map" $current) -}}
{{- include "ktxh.util.mergeInto" (list $current $value) -}}
{{- else if kindIs "map" $value -}}
{{- $_ := set $dst $key (deepCopy $value) -}}
{{- else -}}
{{- $_ := set $dst $key $value -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/*
A component's effective settings: componentDefaults deep-merged with components.<name>.
Usage (returns nothing; fills $c in place):
  {{- $c := deepCopy $.Values.componentDefaults }}
  {{- include "ktxh.component.merge" (list $c $name $.Values.components) }}
*/}}
{{- define "ktxh.component.merge" -}}
{{- $c := index . 0 -}}
{{- $name := index . 1 -}}
{{- include "ktxh.util.mergeInto" (list $c (index (index . 2) $name)) -}}
{{- $_ := set $c "name" $name -}}
{{- if not (has $c.role (list "service" "gateway")) -}}
{{- fail (printf "components.%s.role must be service or gateway" $name) -}}
{{- end -}}
{{- end -}}

{{/* Enabled gRPC service components, sorted, as a JSON list of names. */}}
{{- define "ktxh.serviceNames" -}}
{{- $names := list -}}
{{- range $name, $override := .Values.components -}}
{{- $c := deepCopy $.Values.componentDefaults -}}
{{- include "ktxh.component.merge" (list $c $name $.Values.components) -}}
{{- if and $c.enabled (eq $c.role "service") -}}
{{- $names = append $names $name -}}
{{- end -}}
{{- end -}}
{{- toJson $names -}}
{{- end -}}

{{/* ---------------------------------------------------------------- images */}}

{{/* Usage: include "ktxh.image" (dict "root" $ "image" $c.image) */}}
{{- define "ktxh.image" -}}
{{- $registry := .image.registry -}}
{{- if .root.Values.global.imageRegistry -}}
{{- $registry = .root.Values.global.imageRegistry -}}
{{- end -}}
{{- $repository := required "image.repository is required" .image.repository -}}
{{- $ref := ternary $repository (printf "%s/%s" $registry $repository) (empty $registry) -}}
{{- if .image.digest -}}
{{- printf "%s@%s" $ref .image.digest -}}
{{- else -}}
{{- printf "%s:%s" $ref (default .root.Chart.AppVersion .image.tag | toString) -}}
{{- end -}}
{{- end -}}

{{- define "ktxh.imagePullSecrets" -}}
{{- with .Values.global.imagePullSecrets }}
imagePullSecrets:
{{- range . }}
  - name: {{ . }}
{{- end }}
{{- end }}
{{- end -}}

{{/* ---------------------------------------------------------------- endpoints */}}

{{- define "ktxh.publicUrl" -}}
{{- if .Values.publicUrl -}}
{{- .Values.publicUrl | trimSuffix "/" -}}
{{- else if .Values.ingress.enabled -}}
{{- printf "%s://%s" (ternary "https" "http" .Values.ingress.tls) .Values.ingress.hostname -}}
{{- end -}}
{{- end -}}

{{- define "ktxh.oidcIssuer" -}}
{{- printf "%s/realms/%s" (required "keycloak.external.url is required" .Values.keycloak.external.url | trimSuffix "/") .Values.keycloak.realm -}}
{{- end -}}

{{- define "ktxh.otelEndpoint" -}}
{{- if .Values.otelCollector.enabled -}}
{{- printf "http://%s:4317" (include "ktxh.componentName" (dict "root" . "name" "otel-collector")) -}}
{{- else -}}
{{- .Values.otelCollector.externalEndpoint -}}
{{- end -}}
{{- end -}}

{{/* Port of "host:port" (or "scheme://host:port"), with a default. Usage: include "ktxh.util.port" (list "kafka:9092" "9092") */}}
{{- define "ktxh.util.port" -}}
{{- $addr := index . 0 | toString -}}
{{- $addr = regexReplaceAll "^[a-zA-Z][a-zA-Z0-9+.-]*://" $addr "" -}}
{{- $addr = regexReplaceAll "/.*$" $addr "" -}}
{{- $port := regexFind ":[0-9]+$" $addr | trimPrefix ":" -}}
{{- default (index . 1) $port -}}
{{- end -}}

{{/* Kafka broker ports from the bootstrap list, as a JSON list of numbers. */}}
{{- define "ktxh.kafkaPorts" -}}
{{- $ports := list -}}
{{- range splitList "," .Values.kafka.external.bootstrapServers -}}
{{- $ports = append $ports (include "ktxh.util.port" (list (trim .) "9092") | int) -}}
{{- end -}}
{{- toJson ($ports | uniq) -}}
{{- end -}}

{{- define "ktxh.minioPort" -}}
{{- include "ktxh.util.port" (list .Values.minio.external.endpoint (ternary "443" "80" .Values.minio.external.secure)) -}}
{{- end -}}

{{- define "ktxh.keycloakPort" -}}
{{- $url := .Values.keycloak.external.url -}}
{{- include "ktxh.util.port" (list $url (ternary "443" "80" (hasPrefix "https://" $url))) -}}
{{- end -}}

{{/* ---------------------------------------------------------------- secrets */}}

{{/* True ("true") when the chart renders its own credentials Secret. */}}
{{- define "ktxh.credentials.managed" -}}
{{- $v := .Values -}}
{{- $pg := and (not $v.postgresql.auth.existingSecret) (include "ktxh.anyDependency" (list . "postgresql")) -}}
{{- $minio := and (not $v.minio.auth.existingSecret) (include "ktxh.anyDependency" (list . "minio")) -}}
{{- $kc := and $v.keycloak.realmImport.enabled (not $v.keycloak.realmImport.existingSecret) -}}
{{- if or $pg $minio $kc -}}true{{- end -}}
{{- end -}}

{{- define "ktxh.credentials.name" -}}
{{- printf "%s-credentials" (include "ktxh.fullname" .) -}}
{{- end -}}

{{- define "ktxh.postgresql.secretName" -}}
{{- default (include "ktxh.credentials.name" .) .Values.postgresql.auth.existingSecret -}}
{{- end -}}

{{- define "ktxh.minio.secretName" -}}
{{- default (include "ktxh.credentials.name" .) .Values.minio.auth.existingSecret -}}
{{- end -}}

{{- define "ktxh.minio.provisioningSecretName" -}}
{{- default (include "ktxh.minio.secretName" .) .Values.minio.provisioning.existingSecret -}}
{{- end -}}

{{- define "ktxh.keycloak.secretName" -}}
{{- default (include "ktxh.credentials.name" .) .Values.keycloak.realmImport.existingSecret -}}
{{- end -}}

{{/* "true" when any enabled component lists the dependency. Usage: include "ktxh.anyDependency" (list $ "minio") */}}
{{- define "ktxh.anyDependency" -}}
{{- $root := index . 0 -}}
{{- $dep := index . 1 -}}
{{- $found := false -}}
{{- range $name, $override := $root.Values.components -}}
{{- $c := deepCopy $root.Values.componentDefaults -}}
{{- include "ktxh.component.merge" (list $c $name $root.Values.components) -}}
{{- if and $c.enabled (has $dep $c.dependencies) -}}
{{- $found = true -}}
{{- end -}}
{{- end -}}
{{- if $found -}}true{{- end -}}
{{- end -}}

{{/* SQLAlchemy URL for a service (chart-managed credentials). */}}
{{- define "ktxh.postgresql.url" -}}
{{- $pg := .root.Values.postgresql -}}
{{- $query := "" -}}
{{- if ne $pg.external.sslMode "disable" -}}
{{- $query = printf "?ssl=%s" $pg.external.sslMode -}}
{{- end -}}
{{- printf "postgresql+asyncpg://%s:%s@%s:%d/%s%s" (urlquery $pg.auth.username) (urlquery (required "postgresql.auth.password (or postgresql.auth.existingSecret) is required" $pg.auth.password)) (required "postgresql.external.host is required" $pg.external.host) ($pg.external.port | int) $pg.external.database $query -}}
{{- end -}}

{{/* ---------------------------------------------------------------- pods */}}

{{/* Security context without the Bitnami-style `enabled` switch. */}}
{{- define "ktxh.securityContext" -}}
{{- if .enabled -}}
{{- toYaml (omit . "enabled") -}}
{{- end -}}
{{- end -}}

{{/* Soft/hard pod anti-affinity on the node. Usage: include "ktxh.affinity" (dict "root" $ "c" $c "component" name) */}}
{{- define "ktxh.affinity" -}}
{{- if .c.affinity -}}
{{- toYaml .c.affinity -}}
{{- else if eq .c.podAntiAffinityPreset "soft" -}}
podAntiAffinity:
  preferredDuringSchedulingIgnoredDuringExecution:
    - weight: 100
      podAffinityTerm:
        topologyKey: kubernetes.io/hostname
        labelSelector:
          matchLabels: {{- include "ktxh.selectorLabels" (dict "root" .root "component" .component) | nindent 12 }}
{{- else if eq .c.podAntiAffinityPreset "hard" -}}
podAntiAffinity:
  requiredDuringSchedulingIgnoredDuringExecution:
    - topologyKey: kubernetes.io/hostname
      labelSelector:
        matchLabels: {{- include "ktxh.selectorLabels" (dict "root" .root "component" .component) | nindent 10 }}
{{- end -}}
{{- end -}}

{{/*
Non-secret environment of a component, as a YAML map (the ConfigMap data; migration Jobs
use the same map inline because hooks run before the ConfigMap exists).
Usage: include "ktxh.component.config" (dict "root" $ "c" $c)
*/}}
{{- define "ktxh.component.config" -}}
{{- $root := .root -}}
{{- $c := .c -}}
{{- $v := $root.Values -}}
KTXH_DATA_DIR: /tmp/ktxh
KTXH_LOG_LEVEL: {{ $v.logLevel | quote }}
OTEL_SERVICE_NAME: {{ printf "ktxh-%s" $c.name | quote }}
OTEL_RESOURCE_ATTRIBUTES: {{ printf "service.namespace=ktxh,deployment.environment=%s,ktxh.province=%s" $v.environment ($v.province.code | toString) | quote }}
{{- with include "ktxh.otelEndpoint" $root }}
OTEL_EXPORTER_OTLP_ENDPOINT: {{ . | quote }}
{{- end }}
{{- if eq $c.role "service" }}
{{- $p := printf "KTXH_%s_" (upper $c.name) }}
{{ $p }}PROVINCE_CODE: {{ $v.province.code | quote }}
{{ $p }}DATA_DIR: /tmp/ktxh
{{ $p }}GRPC_HOST: "0.0.0.0"
{{ $p }}GRPC_PORT: {{ $c.containerPorts.grpc | int | quote }}
{{ $p }}METRICS_PORT: {{ $c.containerPorts.metrics | default 0 | int | quote }}
{{ $p }}MIGRATE_ON_START: {{ ternary "false" "true" $c.migration.enabled | quote }}
{{ $p }}OIDC_ISSUER: {{ include "ktxh.oidcIssuer" $root | quote }}
{{ $p }}OIDC_AUDIENCE: {{ $v.keycloak.audience | quote }}
{{- range $peer := $c.calls | default list }}
{{- $s := deepCopy $v.componentDefaults }}
{{- include "ktxh.component.merge" (list $s $peer $v.components) }}
{{ $p }}{{ upper $peer }}_ADDR: {{ printf "%s:%d" (include "ktxh.componentName" (dict "root" $root "name" $peer)) ($s.containerPorts.grpc | int) | quote }}
{{- end }}
{{- if has "postgresql" $c.dependencies }}
{{ $p }}DATABASE_SCHEMA: {{ default $c.name $c.database.schema | quote }}
{{- end }}
{{- if has "kafka" $c.dependencies }}
{{ $p }}BUS: kafka
{{ $p }}KAFKA_BOOTSTRAP_SERVERS: {{ required "kafka.external.bootstrapServers is required" $v.kafka.external.bootstrapServers | quote }}
{{ $p }}TOPIC_PREFIX: {{ $v.kafka.topicPrefix | quote }}
{{ $p }}ENSURE_TOPICS: "false"
{{- end }}
{{- if has "minio" $c.dependencies }}
{{ $p }}OBJECT_STORE: s3
{{ $p }}S3_ENDPOINT: {{ required "minio.external.endpoint is required" $v.minio.external.endpoint | quote }}
{{ $p }}S3_BUCKET: {{ $v.minio.bucket | quote }}
{{ $p }}S3_SECURE: {{ $v.minio.external.secure | toString | quote }}
{{- end }}
{{- else }}
KTXH_GATEWAY_HOST: "0.0.0.0"
KTXH_GATEWAY_PORT: {{ $c.containerPorts.http | int | quote }}
KTXH_GATEWAY_DATA_DIR: /tmp/ktxh
KTXH_GATEWAY_REALM: {{ $v.keycloak.realm | quote }}
KTXH_GATEWAY_OIDC_ISSUER: {{ include "ktxh.oidcIssuer" $root | quote }}
KTXH_GATEWAY_OIDC_AUDIENCE: {{ $v.keycloak.audience | quote }}
KTXH_GATEWAY_OIDC_CLIENT_ID: {{ $v.keycloak.webClientId | quote }}
{{- with include "ktxh.publicUrl" $root }}
KTXH_GATEWAY_PUBLIC_URL: {{ . | quote }}
{{- end }}
{{- range $svc := include "ktxh.serviceNames" $root | fromJsonArray }}
{{- $s := deepCopy $v.componentDefaults }}
{{- include "ktxh.component.merge" (list $s $svc $v.components) }}
KTXH_GATEWAY_{{ upper $svc }}_ADDR: {{ printf "%s:%d" (include "ktxh.componentName" (dict "root" $root "name" $svc)) ($s.containerPorts.grpc | int) | quote }}
{{- end }}
{{- end }}
{{- end -}}

{{/* Secret environment of a component (list of EnvVar). */}}
{{- define "ktxh.component.secretEnv" -}}
{{- $root := .root -}}
{{- $c := .c -}}
{{- if eq $c.role "service" }}
{{- $p := printf "KTXH_%s_" (upper $c.name) }}
{{- if has "postgresql" $c.dependencies }}
- name: {{ $p }}DATABASE_URL
  valueFrom:
    secretKeyRef:
      name: {{ include "ktxh.postgresql.secretName" $root }}
      key: {{ printf "%s-database-url" $c.name }}
{{- end }}
{{- if has "minio" $c.dependencies }}
- name: {{ $p }}S3_ACCESS_KEY
  valueFrom:
    secretKeyRef:
      name: {{ include "ktxh.minio.secretName" $root }}
      key: access-key
- name: {{ $p }}S3_SECRET_KEY
  valueFrom:
    secretKeyRef:
      name: {{ include "ktxh.minio.secretName" $root }}
      key: secret-key
{{- end }}
{{- end }}
{{- end -}}

{{/* The writable /tmp of every pod (root filesystems are read-only). */}}
{{- define "ktxh.tmpVolume" -}}
- name: tmp
  emptyDir:
    {{- with .sizeLimit }}
    sizeLimit: {{ . }}
    {{- end }}
{{- end -}}

{{/* Common spec of hook Jobs (migrations, provisioning). Usage: include "ktxh.job.podExtras" $ */}}
{{- define "ktxh.job.podExtras" -}}
{{- with .Values.jobs.nodeSelector }}
nodeSelector: {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.jobs.tolerations }}
tolerations: {{- toYaml . | nindent 2 }}
{{- end }}
{{- end -}}

{{- define "ktxh.jobs.serviceAccountName" -}}
{{- printf "%s-jobs" (include "ktxh.fullname" .) -}}
{{- end -}}

{{/* Mebibytes of a Kubernetes memory quantity ("512Mi", "1Gi", "1G"), as an integer. */}}
{{- define "ktxh.util.mebibytes" -}}
{{- $q := toString . -}}
{{- if hasSuffix "Gi" $q -}}{{- mul (trimSuffix "Gi" $q | int) 1024 -}}
{{- else if hasSuffix "Mi" $q -}}{{- trimSuffix "Mi" $q | int -}}
{{- else if hasSuffix "G" $q -}}{{- div (mul (trimSuffix "G" $q | int) 1000000000) 1048576 -}}
{{- else if hasSuffix "M" $q -}}{{- div (mul (trimSuffix "M" $q | int) 1000000) 1048576 -}}
{{- else -}}{{- div ($q | int64) 1048576 -}}
{{- end -}}
{{- end -}}
