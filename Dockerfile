# Medic in an image: `docker run IMAGE run -- python train.py ...` or `docker run IMAGE --help`.
# Base images are build arguments with pinned defaults, so the image can also be built against
# base images imported locally under other names (an air-gapped build, or the project's tests).
ARG BUILD_IMAGE=maven:3.9.9-eclipse-temurin-17
ARG JRE_IMAGE=eclipse-temurin:17.0.13_11-jre

FROM ${BUILD_IMAGE} AS build
# extra Maven arguments, e.g. -o for an offline build against a repository in the build image
ARG MAVEN_ARGS="-B -q"
WORKDIR /build
COPY pom.xml ./
COPY src ./src
COPY rules ./rules
COPY catalog ./catalog
RUN mvn ${MAVEN_ARGS} -DskipTests package

FROM ${JRE_IMAGE}
COPY --from=build /build/target/medic.jar /opt/medic/medic.jar
COPY rules /opt/medic/rules
COPY catalog /opt/medic/catalog
# class-data sharing: the classes `medic check` loads (catalog, rules, fixes), archived once by this
# image's own JVM, start every later command faster; a JVM that cannot use the archive runs without it
RUN ["java", "-XX:ArchiveClassesAtExit=/opt/medic/medic.jsa", "-Xlog:cds=off", "-Xlog:cds+dynamic=off", "-XX:+UseSerialGC", "-Xmx256m", "-Dmedic.home=/opt/medic", "-jar", "/opt/medic/medic.jar", "check"]
# not root: a numeric user needs no account in the image
USER 10001:10001
WORKDIR /tmp
ENTRYPOINT ["java", "-XX:SharedArchiveFile=/opt/medic/medic.jsa", "-Xlog:cds=off", "-Xlog:cds+dynamic=off", "-XX:+UseSerialGC", "-Xmx256m", "-Dmedic.home=/opt/medic", "-jar", "/opt/medic/medic.jar"]
CMD ["--help"]
